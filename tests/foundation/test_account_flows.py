"""HR account flows end to end with a real SMTP server: reset, verification, password change."""

import re

import pytest

from eap.employers.models import HrUser
from eap.extensions import db
from tests.conftest import PASSWORD, login_hr, login_staff, post_form

NEW_PASSWORD = "a brand new long passphrase"
CSRF_VALUE = re.compile(r'(?<=name="csrf_token" type="hidden" value=")[^"]+|'
                        r'(?<=name="csrf_token" value=")[^"]+')
LINK = re.compile(r"http://localhost(/hr/[\w/-]+/[\w.-]+)")


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings


def link_in(body: str) -> str:
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def test_password_reset_end_to_end(client, mailbox, make_hr_user):
    user = make_hr_user()
    response = post_form(client, "/hr/forgot-password", {"email": user.email})
    assert response.status_code == 302 and response.headers["Location"] == "/hr/login"
    message = mailbox.wait_for(user.email)
    assert message["Subject"] == "Passwort zurücksetzen"
    url = link_in(message.get_content())
    assert url.startswith("/hr/reset-password/")

    assert client.get(url).status_code == 200
    mismatch = post_form(client, url, {"password": NEW_PASSWORD, "confirm": "something else"})
    assert mismatch.status_code == 200
    done = post_form(client, url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/hr/login"

    assert login_hr(client, user, PASSWORD).status_code == 200  # old password refused
    assert login_hr(client, user, NEW_PASSWORD).status_code == 302
    # The link works once: the new password changes its stamp.
    again = client.get(url)
    assert again.status_code == 302 and "/hr/forgot-password" in again.headers["Location"]


def test_reset_refuses_a_weak_password(client, mailbox, make_hr_user):
    user = make_hr_user()
    post_form(client, "/hr/forgot-password", {"email": user.email})
    url = link_in(mailbox.body(user.email))
    weak = post_form(client, url, {"password": "short", "confirm": "short"})
    assert weak.status_code == 200 and "mindestens 12 Zeichen" in weak.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(app, mailbox, make_hr_user):
    user = make_hr_user()
    known, unknown = app.test_client(), app.test_client()
    answers = []
    for client, email in ((known, user.email), (unknown, "nobody@nowhere.example")):
        response = post_form(client, "/hr/forgot-password", {"email": email})
        follow = client.get(response.headers["Location"]).get_data(as_text=True)
        follow = CSRF_VALUE.sub("", follow)  # the only parts that differ per browser: the token
        follow = re.sub(r'challengejson="[^"]*"', "", follow)  # and the login's proof of work
        answers.append((response.status_code, response.headers["Location"], follow))
    assert answers[0] == answers[1]
    assert "Falls es zu dieser Adresse ein Konto gibt" in answers[0][2]
    mailbox.wait_for(user.email)
    assert all("nobody@nowhere.example" not in m["To"] for m in mailbox.messages)


def test_forged_or_foreign_reset_links_are_refused(client, make_hr_user):
    make_hr_user()
    response = client.get("/hr/reset-password/not-a-real-token")
    assert response.status_code == 302 and "/hr/forgot-password" in response.headers["Location"]


def test_email_verification_end_to_end(app, client, mailbox, make_hr_user):
    user = make_hr_user(verified=False)
    login_hr(client, user)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in client.get("/hr/").get_data(as_text=True)
    post_form(client, "/hr/verify/resend", from_url="/hr/")
    url = link_in(mailbox.body(user.email))
    assert url.startswith("/hr/verify/")

    # Opening the link (as a mail scanner would) changes nothing; it shows a button.
    other = app.test_client()
    page = other.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(HrUser, user.id).email_verified_at is None

    done = post_form(other, url)
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(HrUser, user.id).email_verified_at is not None
    assert "Bitte bestätigen Sie" not in client.get("/hr/").get_data(as_text=True)


def test_verification_needs_the_csrf_token_and_a_valid_link(app, client, make_hr_user):
    make_hr_user(verified=False)
    assert client.post("/hr/verify/forged-token").status_code == 400
    response = post_form(client, "/hr/verify/forged-token")
    assert response.status_code == 302 and response.headers["Location"] == "/hr/login"


def test_password_change_ends_other_sessions(app, make_hr_user):
    user = make_hr_user()
    laptop, phone = app.test_client(), app.test_client()
    login_hr(laptop, user)
    login_hr(phone, user)
    wrong = post_form(
        laptop, "/hr/password",
        {"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and phone.get("/hr/").status_code == 200
    done = post_form(
        laptop, "/hr/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert laptop.get("/hr/").status_code == 200  # this browser stays signed in
    assert phone.get("/hr/").status_code == 302  # every other one is signed out
    assert login_hr(app.test_client(), user, NEW_PASSWORD).status_code == 302


def test_staff_password_change_ends_other_sessions(app, make_staff):
    staff = make_staff()
    desk, other = app.test_client(), app.test_client()
    login_staff(desk, staff)
    # A TOTP code is used once: the second browser signs in with the next one.
    from eap.staff.accounts import new_recovery_codes
    from eap.staff.models import StaffUser

    with app.app_context():
        codes = new_recovery_codes(db.session.get(StaffUser, staff.id))
        db.session.commit()
    post_form(other, "/staff/login", {"email": staff.email, "password": PASSWORD})
    assert post_form(other, "/staff/login/code", {"code": codes[0]}).status_code == 302
    assert other.get("/staff/").status_code == 200
    done = post_form(
        desk, "/staff/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert desk.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302


def test_a_stranger_cannot_use_up_someone_elses_password_reset(app, mailbox, make_hr_user):
    """Asking for someone's reset again and again never makes the owner's own request refused
    (issue 26, item 2): the answer stays the same, the mails to one inbox are capped, and the
    links already there keep working."""
    user = make_hr_user()
    for _ in range(8):
        stranger = app.test_client()
        answer = post_form(stranger, "/hr/forgot-password", {"email": user.email})
        assert answer.status_code == 302
    owner = app.test_client()
    answer = post_form(owner, "/hr/forgot-password", {"email": user.email})
    assert answer.status_code == 302 and answer.headers["Location"] == "/hr/login"
    url = link_in(mailbox.body(user.email))
    assert len([m for m in mailbox.messages if user.email in m["To"]]) == 5  # no mail flood
    assert owner.get(url).status_code == 200  # a link in the inbox still works
    done = post_form(owner, url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/hr/login"
