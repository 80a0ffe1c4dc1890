"""Account enumeration at sign-up and team invitation (issue 14, item 5): a taken address gets the
same answer as a free one, and the existing account is told by mail instead."""

from __future__ import annotations

import re

import pytest

from eap.employers.models import HrUser, Organisation
from tests.conftest import count, login_hr, post_form
from tests.employers.test_signup import FORM


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings


def _answer(response) -> tuple[int, str]:
    """What a visitor can compare: the status and the page after following the redirect."""
    return response.status_code, response.headers.get("Location", "")


def _shown(client) -> str:
    page = client.get("/hr/login").get_data(as_text=True)
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>(.*?)<', page, re.S))


def test_sign_up_with_a_taken_address_answers_alike_and_mails_the_owner(app, mailbox,
                                                                         make_hr_user):
    existing = make_hr_user(email="taken@muster.example")
    fresh, taken = app.test_client(), app.test_client()
    # Both tick "sign up anyway" for the shared VAT ID (issue 17's warning is about organisations,
    # and the two sign-ups here share one): only the address differs.
    form = {**FORM, "vat_confirm": "y"}
    free_answer = post_form(fresh, "/hr/signup", {**form, "email": "free@muster.example"})
    taken_answer = post_form(taken, "/hr/signup", {**form, "email": existing.email})
    assert _answer(free_answer) == _answer(taken_answer)
    assert _shown(fresh) == _shown(taken)
    assert fresh.get("/hr/").status_code == taken.get("/hr/").status_code
    body = mailbox.body(existing.email)
    assert "/hr/login" in body and "/hr/forgot-password" in body
    with app.app_context():
        assert count(Organisation) == 2  # the existing one and the free sign-up's; no third
        assert count(HrUser) == 2


def test_invitation_of_a_taken_address_answers_alike(app, english, mailbox, make_hr_user):
    elsewhere = make_hr_user(email="someone@other.example")
    owner = make_hr_user(role="owner")
    login_hr(english, owner)
    free = post_form(english, "/hr/team/", {"email": "new@firma.example", "role": "manager"},
                     follow_redirects=True)
    taken = post_form(english, "/hr/team/", {"email": elsewhere.email, "role": "manager"},
                      follow_redirects=True)
    assert free.status_code == taken.status_code == 200
    assert "already has an account" not in taken.get_data(as_text=True)
    assert "The invitation is on its way" in taken.get_data(as_text=True)
    body = mailbox.body(elsewhere.email)
    assert "/hr/team/join/" not in body  # no usable invitation for an existing account
