"""Server-side invitations (issue 14, item 2): single use, expiring, revocable by an owner and
listed on the team page. A removed member's old link never brings the account back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eap.employers.models import HrUser
from eap.extensions import db
from tests.conftest import login_hr, post_form

JOIN = {"name": "Neu", "password": "noch ein langer satz", "confirm": "noch ein langer satz"}


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings


def _invite(client, mailbox, email: str, role: str = "manager") -> str:
    post_form(client, "/hr/team/", {"email": email, "role": role})
    return re.search(r"http://localhost(/hr/team/join/\S+)", mailbox.body(email)).group(1)


def _member(app, email: str) -> HrUser | None:
    with app.app_context():
        return db.session.scalar(sa.select(HrUser).where(HrUser.email == email))


def test_a_removed_members_link_does_not_recreate_the_account(app, english, make_hr_user,
                                                              mailbox):
    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    link = _invite(english, mailbox, "second@firma.example", role="owner")
    newcomer = app.test_client()
    assert post_form(newcomer, link, JOIN).status_code == 303
    member = _member(app, "second@firma.example")
    post_form(english, f"/hr/team/{member.id}/remove", from_url="/hr/team/")
    assert _member(app, "second@firma.example") is None
    again = app.test_client()
    assert again.get(link).status_code == 302  # refused: used
    page = again.get(link)
    assert page.status_code == 302
    with app.test_client() as replay:
        replay.get("/hr/login")
        answer = replay.post(link, data={**JOIN})
        assert answer.status_code in (302, 400)
    assert _member(app, "second@firma.example") is None


def test_the_owner_sees_and_revokes_pending_invitations(app, english, make_hr_user, mailbox):
    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    link = _invite(english, mailbox, "pending@firma.example")
    page = english.get("/hr/team/").get_data(as_text=True)
    assert "pending@firma.example" in page
    revoke = re.search(r'action="(/hr/team/invitations/\d+/revoke)"', page).group(1)
    assert post_form(english, revoke, from_url="/hr/team/").status_code == 303
    assert "pending@firma.example" not in english.get("/hr/team/").get_data(as_text=True)
    assert app.test_client().get(link).status_code == 302
    assert post_form(app.test_client(), link, JOIN, from_url="/hr/login").status_code == 302
    assert _member(app, "pending@firma.example") is None


def test_an_invitation_expires(app, english, make_hr_user, mailbox):
    from eap.employers.models import HrInvitation

    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    link = _invite(english, mailbox, "late@firma.example")
    with app.app_context():
        invitation = db.session.scalar(sa.select(HrInvitation))
        invitation.expires_at = invitation.expires_at - timedelta(days=8)
        db.session.commit()
    assert app.test_client().get(link).status_code == 302
    assert "late@firma.example" not in english.get("/hr/team/").get_data(as_text=True)


def test_another_organisations_owner_cannot_revoke(app, english, make_hr_user, mailbox):
    from eap.employers.models import HrInvitation

    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    _invite(english, mailbox, "mine@firma.example")
    with app.app_context():
        invitation_id = db.session.scalar(sa.select(HrInvitation.id))
    stranger = app.test_client()
    login_hr(stranger, make_hr_user(role="owner"))
    answer = post_form(stranger, f"/hr/team/invitations/{invitation_id}/revoke",
                       from_url="/hr/team/")
    assert answer.status_code == 404
    assert "mine@firma.example" in english.get("/hr/team/").get_data(as_text=True)
