"""Team invitations and removal; roles; HR of organisation A never reaches B (404)."""

import re

import pytest

from eap.employers.models import AccessCode, HrUser
from eap.extensions import db
from tests.conftest import count, login_hr, post_form


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings


def org_of(app, user):
    from eap.employers.models import Organisation

    with app.app_context():
        org = db.session.get(Organisation, user.organisation_id)
        db.session.expunge(org)
    return org


def test_invite_join_and_remove(app, english, make_hr_user, mailbox):
    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    post_form(english, "/hr/team/", {"email": "neu@firma.example", "role": "manager"})
    link = re.search(r"http://localhost(/hr/team/join/\S+)", mailbox.body("neu@firma.example"))
    newcomer = app.test_client()
    response = post_form(newcomer, link.group(1), {
        "name": "Neu", "password": "noch ein langer satz", "confirm": "noch ein langer satz"})
    assert response.status_code == 303
    with app.app_context():
        member = db.session.scalar(db.select(HrUser).where(HrUser.email == "neu@firma.example"))
        assert member.role == "manager" and member.organisation_id == owner.organisation_id
    assert newcomer.get("/hr/access/").status_code == 200
    assert newcomer.get("/hr/contract/").status_code == 403  # manager: no billing
    # The link works once only.
    assert newcomer.get(link.group(1)).status_code == 302
    post_form(english, f"/hr/team/{member.id}/remove", from_url="/hr/team/")
    assert newcomer.get("/hr/access/").status_code == 302  # signed out
    with app.app_context():
        assert db.session.get(HrUser, member.id) is None


def test_an_expired_invitation_is_refused(app, client):
    assert client.get("/hr/team/join/forged-token").status_code == 302


def test_the_last_owner_cannot_be_removed(app, english, make_hr_user):
    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    page = post_form(english, f"/hr/team/{owner.id}/remove", from_url="/hr/team/",
                     follow_redirects=True)
    assert "The last owner cannot be removed" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(HrUser, owner.id) is not None


def _role_of(app, user) -> str:
    with app.app_context():
        return db.session.get(HrUser, user.id).role


def test_owner_changes_roles_and_they_apply_at_once(app, english, make_hr_user):
    owner = make_hr_user(role="owner")
    colleague = make_hr_user(organisation=org_of(app, owner), role="manager", name="Kim")
    colleague_client = app.test_client()
    login_hr(colleague_client, colleague)
    assert colleague_client.get("/hr/access/").status_code == 200
    login_hr(english, owner)
    team_page = english.get("/hr/team/").get_data(as_text=True)
    assert f'action="/hr/team/{colleague.id}/role"' in team_page
    page = post_form(english, f"/hr/team/{colleague.id}/role", {"role": "billing"},
                     from_url="/hr/team/", follow_redirects=True).get_data(as_text=True)
    assert "Kim is Billing now." in page
    assert _role_of(app, colleague) == "billing"
    # The colleague's open session follows the new role on the next page.
    assert colleague_client.get("/hr/access/").status_code == 403
    assert colleague_client.get("/hr/contract/new").status_code == 200


def test_role_change_refuses_bad_input_and_the_last_owner(app, english, make_hr_user):
    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    page = post_form(english, f"/hr/team/{owner.id}/role", {"role": "manager"},
                     from_url="/hr/team/", follow_redirects=True).get_data(as_text=True)
    assert "The last owner cannot give up this role" in page
    page = post_form(english, f"/hr/team/{owner.id}/role", {"role": "admin"},
                     from_url="/hr/team/", follow_redirects=True).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert _role_of(app, owner) == "owner"
    # Without the CSRF token nothing changes either.
    assert english.post(f"/hr/team/{owner.id}/role", data={"role": "billing"}).status_code == 400
    assert _role_of(app, owner) == "owner"


def test_an_owner_may_hand_over_and_step_down(app, english, make_hr_user):
    owner = make_hr_user(role="owner")
    successor = make_hr_user(organisation=org_of(app, owner), role="manager")
    login_hr(english, owner)
    post_form(english, f"/hr/team/{successor.id}/role", {"role": "owner"}, from_url="/hr/team/")
    answer = post_form(english, f"/hr/team/{owner.id}/role", {"role": "manager"},
                       from_url="/hr/team/")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/hr/")
    assert (_role_of(app, owner), _role_of(app, successor)) == ("manager", "owner")
    assert english.get("/hr/team/").status_code == 403


def test_only_owners_change_roles(app, client, make_hr_user):
    owner = make_hr_user(role="owner")
    manager = make_hr_user(organisation=org_of(app, owner), role="manager")
    login_hr(client, manager)
    answer = post_form(client, f"/hr/team/{manager.id}/role", {"role": "owner"}, from_url="/hr/")
    assert answer.status_code == 403
    assert _role_of(app, manager) == "manager"


@pytest.mark.parametrize("role,allowed", [
    ("owner", {"/hr/access/", "/hr/team/", "/hr/contract/new"}),
    ("manager", {"/hr/access/"}),
    ("billing", {"/hr/contract/new"}),
])
def test_role_rules(client, make_hr_user, role, allowed):
    login_hr(client, make_hr_user(role=role))
    for url in ("/hr/access/", "/hr/team/", "/hr/contract/new"):
        assert client.get(url).status_code == (200 if url in allowed else 403), url


def test_hr_of_a_never_reaches_b(app, client, make_hr_user, make_access_code, make_contract):
    a = make_hr_user(role="owner")
    b = make_hr_user(role="owner")
    b_org = org_of(app, b)
    b_code, _ = make_access_code(b_org)
    b_contract = make_contract(organisation=b_org, status="pending")
    b_colleague = make_hr_user(organisation=b_org, role="manager")
    login_hr(client, a)
    for url in (f"/hr/access/{b_code.id}/poster", f"/hr/access/{b_code.id}/qr.svg",
                f"/hr/contract/{b_contract.id}/pay"):
        assert client.get(url).status_code == 404, url
    for url in (f"/hr/access/{b_code.id}/revoke", f"/hr/team/{b_colleague.id}/remove"):
        assert post_form(client, url, from_url="/hr/").status_code == 404, url
    answer = post_form(client, f"/hr/team/{b_colleague.id}/role", {"role": "owner"},
                       from_url="/hr/")
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.get(AccessCode, b_code.id).active
        assert count(HrUser) == 3
        assert db.session.get(HrUser, b_colleague.id).role == "manager"
