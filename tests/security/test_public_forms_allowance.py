"""The public forms that name an address (the offer form, HR sign-up) cannot be used up for that
address by someone else (issue 26, item 2; SECURITY.md, "Every limit").

The old code refused the 11th offer and the 21st sign-up an hour per submitted address with 429,
whoever sent the earlier ones; the offer form also shut for everyone after 100 a minute. Now:
a proof of work on each form, the same answer for every request, and silent caps on the mails
that reach one inbox.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import count, post_form
from tests.employers.test_signup import FORM

OFFER = {"organisation": "Diakonie Musterstadt", "employee_count": 2400,
         "contact_name": "Max Muster", "email": "max@diakonie.example"}


@pytest.fixture
def app_settings(mailbox):
    return {**mailbox.settings, "OFFER_REQUEST_EMAIL": "vertrieb@igus.example",
            "GLOBAL_FAILURE_THRESHOLD": "10000 per minute"}


def _english(client):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    return client


def test_strangers_cannot_use_up_an_addresses_offer_requests(app, mailbox):
    from eap.employers.offer_models import OfferRequest

    for n in range(15):  # more than the old 10 an hour for one address
        stranger = _english(app.test_client())
        answer = post_form(stranger, "/offer", {**OFFER, "message": f"spam {n}"})
        assert answer.status_code == 303
    person = _english(app.test_client())
    answer = post_form(person, "/offer", {**OFFER, "message": "Wir haben 14 Standorte."})
    assert answer.status_code == 303
    assert "We will get in touch" in person.get("/offer").get_data(as_text=True)
    with app.app_context():
        assert count(OfferRequest) == 16  # every request is stored for the administrators
        assert db.session.scalar(sa.select(OfferRequest).where(
            OfferRequest.message == "Wir haben 14 Standorte.")) is not None
    assert len(mailbox.messages) == 3  # the sales inbox is not flooded


def test_strangers_cannot_use_up_an_addresses_sign_ups(app, mailbox):
    address = "erika@muster.example"
    form = {**FORM, "vat_confirm": "y", "email": address}
    answers = set()
    for _ in range(22):  # more than the old 20 an hour for one address
        stranger = _english(app.test_client())
        answer = post_form(stranger, "/hr/signup", form)
        answers.add((answer.status_code, answer.headers.get("Location")))
    person = _english(app.test_client())
    answer = post_form(person, "/hr/signup", form)
    answers.add((answer.status_code, answer.headers.get("Location")))
    assert answers == {(303, "/hr/login")}  # one answer, never a 429
    to_address = [m for m in mailbox.messages if address in m["To"]]
    assert len(to_address) == 1 + 3  # the confirmation, then at most 3 "address taken" an hour


def test_a_form_without_its_proof_keeps_what_was_typed(app):
    app.config["POW_NOJS_WAIT"] = 3600.0
    client = _english(app.test_client())
    answer = post_form(client, "/offer", OFFER)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "For your protection this step takes a few seconds" in page
    assert 'value="max@diakonie.example"' in page
    answer = post_form(client, "/hr/signup", {**FORM, "vat_confirm": "y"})
    assert answer.status_code == 200
    assert "Please enter your password again" in answer.get_data(as_text=True)


def test_no_organisation_can_flood_an_inbox_or_use_up_anothers_invitations(
        app, mailbox, make_hr_user):
    """Invitations had no cap: any owner (sign-up is public) could mail an address again and
    again. Now the mails to one address from one organisation are capped silently (the
    invitation is stored and listed all the same), and another organisation's invitations to
    the same address count nothing against this one's."""
    from tests.conftest import login_hr

    address = "new.colleague@firma.example"
    flooder = _english(app.test_client())
    login_hr(flooder, make_hr_user(role="owner"))
    for _ in range(6):
        answer = post_form(flooder, "/hr/team/", {"email": address, "role": "manager"})
        assert answer.status_code == 303
    assert len([m for m in mailbox.messages if address in m["To"]]) == 3
    assert flooder.get("/hr/team/").get_data(as_text=True).count(address) >= 6
    owner = _english(app.test_client())
    login_hr(owner, make_hr_user(role="owner"))
    assert post_form(owner, "/hr/team/", {"email": address, "role": "manager"}).status_code == 303
    assert len([m for m in mailbox.messages if address in m["To"]]) == 4  # this one arrives
