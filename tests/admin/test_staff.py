"""Administrators manage staff accounts: roles, languages, specialties, capacity, access."""

from __future__ import annotations

import sqlalchemy as sa

from eap.extensions import db
from eap.staff.models import StaffUser
from tests.conftest import PASSWORD, login_staff, post_form

NEW = "/staff/admin/staff/new"


def staff_data(**changes) -> dict:
    data = {
        "email": "Neu@IGUS.example",
        "name": "Nora Neu",
        "role": "counsellor",
        "password": "a long enough passphrase",
        "languages": ["de", "tr"],
        "specialties": ["stress", "debt"],
        "fte": "0,5",
        "yearly_capacity": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def load(app, **where) -> StaffUser | None:
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).filter_by(**where))
        if user is not None:
            db.session.expunge(user)
        return user


def test_create_staff_with_default_capacity(app, admin, admin_client, audit_entries):
    response = post_form(admin_client, NEW, staff_data())
    assert response.status_code == 303
    user = load(app, email="neu@igus.example")
    assert (user.name, user.role, user.active) == ("Nora Neu", "counsellor", True)
    assert user.language_list == ["de", "tr"] and user.specialty_list == ["stress", "debt"]
    assert user.fte == 0.5 and user.yearly_capacity == 150  # FTE × 300
    assert user.password_hash.startswith("$argon2id$")
    assert user.totp_secret is None  # enrolled at the first sign-in
    assert audit_entries("staff.create") == [
        (admin.id, "admin", "staff.create", "staff_user", str(user.id))
    ]


def test_capacity_can_be_set(app, admin_client):
    post_form(admin_client, NEW, staff_data(fte="1", yearly_capacity="250"))
    assert load(app, email="neu@igus.example").yearly_capacity == 250


def test_model_default_capacity_follows_fte(app, make_staff):
    assert make_staff().yearly_capacity == 300
    assert make_staff(fte=0.75).yearly_capacity == 225


def test_create_refuses_weak_password_and_taken_address(app, admin_client, make_staff, english):
    weak = post_form(admin_client, NEW, staff_data(password="short"))
    assert "at least 12 characters" in weak.get_data(as_text=True)
    common = post_form(admin_client, NEW, staff_data(password="passwortpasswort"))
    assert "too common" in common.get_data(as_text=True)
    make_staff(email="taken@igus.example")
    taken = post_form(admin_client, NEW, staff_data(email="TAKEN@igus.example"))
    assert "already a staff account with this e-mail" in taken.get_data(as_text=True)
    assert load(app, email="neu@igus.example") is None


def test_invalid_fte_is_explained(admin_client, english):
    response = post_form(admin_client, NEW, staff_data(fte="1,5"))
    assert "Enter a share between 0,01 and 1." in response.get_data(as_text=True)
    response = post_form(admin_client, NEW, staff_data(fte="halb"))
    assert "at most two decimals" in response.get_data(as_text=True)


def test_edit_languages_specialties_and_capacity(app, admin_client, make_staff, audit_entries):
    member = make_staff(role="counsellor")
    url = f"/staff/admin/staff/{member.id}"
    data = staff_data(
        email="ignored@igus.example", languages=["ar"], specialties=["grief"], fte="0,8",
        yearly_capacity="200", name="Renamed",
    )
    assert post_form(admin_client, url, data).status_code == 303
    changed = load(app, id=member.id)
    assert changed.email == member.email  # not editable here
    assert changed.language_list == ["ar"] and changed.specialty_list == ["grief"]
    assert (changed.fte, changed.yearly_capacity, changed.name) == (0.8, 200, "Renamed")
    assert audit_entries("staff.update")[0][3:] == ("staff_user", str(member.id))


def test_role_change_ends_the_persons_sessions(app, admin_client, make_staff, audit_entries):
    member = make_staff(role="counsellor")
    their_browser = app.test_client()
    login_staff(their_browser, member)
    assert their_browser.get("/staff/").status_code == 200
    url = f"/staff/admin/staff/{member.id}"
    post_form(admin_client, url, staff_data(role="triage"))
    assert load(app, id=member.id).role == "triage"
    assert their_browser.get("/staff/").status_code == 302
    assert audit_entries("staff.role_change")[0][3:] == ("staff_user", str(member.id))


def test_deactivate_ends_sessions_and_blocks_sign_in(
    app, admin_client, make_staff, audit_entries
):
    member = make_staff()
    their_browser = app.test_client()
    login_staff(their_browser, member)
    url = f"/staff/admin/staff/{member.id}/deactivate"
    assert post_form(admin_client, url, from_url="/staff/admin/staff/").status_code == 303
    assert their_browser.get("/staff/").status_code == 302
    again = post_form(
        app.test_client(), "/staff/login", {"email": member.email, "password": PASSWORD}
    )
    assert again.status_code == 200  # the password step refuses a deactivated account
    url = f"/staff/admin/staff/{member.id}/reactivate"
    assert post_form(admin_client, url, from_url="/staff/admin/staff/").status_code == 303
    # The password step lets them on to the code step again (the TOTP code of this time step
    # was used up above: codes are never accepted twice).
    again = post_form(
        app.test_client(), "/staff/login", {"email": member.email, "password": PASSWORD}
    )
    assert again.headers["Location"] == "/staff/login/code"
    actions = [e[2] for e in audit_entries() if e[3] == "staff_user" and e[4] == str(member.id)]
    assert actions == ["staff.deactivate", "staff.reactivate"]


def test_reset_totp_means_enrolment_at_next_sign_in(app, admin_client, make_staff):
    member = make_staff()
    their_browser = app.test_client()
    login_staff(their_browser, member)
    url = f"/staff/admin/staff/{member.id}/reset-totp"
    assert post_form(admin_client, url, from_url="/staff/admin/staff/").status_code == 303
    changed = load(app, id=member.id)
    assert changed.totp_secret is None and changed.recovery_codes == []
    assert their_browser.get("/staff/").status_code == 302
    step = post_form(
        app.test_client(), "/staff/login", {"email": member.email, "password": PASSWORD}
    )
    assert step.headers["Location"] == "/staff/totp/enrol"


def test_last_admin_cannot_deactivate_or_demote_themselves(app, admin, admin_client, english):
    url = f"/staff/admin/staff/{admin.id}"
    demoted = post_form(admin_client, url, staff_data(role="counsellor"))
    assert "last active administrator" in demoted.get_data(as_text=True)
    response = post_form(admin_client, url + "/deactivate", from_url=url)
    assert response.status_code == 303
    assert "last active administrator" in admin_client.get(url).get_data(as_text=True)
    unchanged = load(app, id=admin.id)
    assert (unchanged.role, unchanged.active) == ("admin", True)


def test_an_admin_may_step_down_when_another_admin_remains(app, admin, admin_client, make_staff):
    make_staff(role="admin")
    url = f"/staff/admin/staff/{admin.id}"
    response = post_form(admin_client, url, staff_data(role="counsellor"))
    assert response.status_code == 303 and response.headers["Location"] == "/staff/login"
    assert load(app, id=admin.id).role == "counsellor"
    assert admin_client.get("/staff/admin/").status_code == 302  # signed out


def test_deactivated_admins_do_not_count_as_remaining(app, admin, admin_client, make_staff):
    make_staff(role="admin", active=False)
    url = f"/staff/admin/staff/{admin.id}/deactivate"
    post_form(admin_client, url, from_url=f"/staff/admin/staff/{admin.id}")
    assert load(app, id=admin.id).active is True


def test_staff_list_and_home_link(admin_client, make_staff, english):
    make_staff(name="Listed Person", languages="de,uk")
    page = admin_client.get("/staff/admin/staff/").get_data(as_text=True)
    assert "Listed Person" in page and "DE, UK" in page
    assert "/staff/admin/staff/" in admin_client.get("/staff/").get_data(as_text=True)


def test_counsellor_home_has_no_admin_links(app, make_staff):
    client = app.test_client()
    login_staff(client, make_staff(role="counsellor"))
    assert "/staff/admin/" not in client.get("/staff/").get_data(as_text=True)
