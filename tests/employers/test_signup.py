"""Sign-up with VAT ID check, e-mail verification from a real SMTP server."""

import re

import pytest

from eap.billing.models import Contract
from eap.employers.models import AccessCode, HrUser, Organisation
from tests.conftest import count, post_form

FORM = {
    "name": "Muster Pflege gGmbH", "street": "Hauptstraße 1", "postcode": "57072",
    "city": "Siegen", "vat_id": "DE 136 695 976", "billing_email": "rechnung@muster.example",
    "employee_count": 120, "contact_name": "Erika Muster", "email": "Erika@Muster.example",
    "password": "ein langer satz als passwort", "confirm": "ein langer satz als passwort",
}


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings


def test_sign_up_verify_then_the_owner_may_buy(app, english, mailbox):
    response = post_form(english, "/hr/signup", FORM)
    assert response.status_code == 303
    with app.app_context():
        from eap.extensions import db
        user = db.session.scalar(db.select(HrUser))
        assert user.role == "owner" and not user.is_verified
        assert user.email == "erika@muster.example"
        assert user.organisation.vat_id == "DE136695976"
        assert count(AccessCode) == 1
    body = mailbox.body("erika@muster.example")
    path = re.search(r"http://localhost(/hr/verify/\S+)", body).group(1)
    post_form(english, path)
    with app.app_context():
        assert db.session.scalar(db.select(HrUser)).is_verified


@pytest.mark.parametrize("vat_id", ["DE123456789", "XX123", "DE12345678", "hello"])
def test_an_invalid_vat_id_is_refused_and_nothing_is_saved(app, english, vat_id):
    response = post_form(english, "/hr/signup", {**FORM, "vat_id": vat_id})
    assert response.status_code == 200
    assert "This VAT ID is not valid" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Organisation) == count(HrUser) == count(AccessCode) == count(Contract) == 0


def test_a_taken_address_and_a_weak_password_are_refused(app, english, make_hr_user):
    make_hr_user(email="erika@muster.example")
    taken = post_form(english, "/hr/signup", FORM)
    # The same answer as a new sign-up (issue 14): the existing account is told by mail.
    assert taken.status_code == 303 and "exists already" not in taken.get_data(as_text=True)
    weak = post_form(english, "/hr/signup", {**FORM, "email": "x@muster.example",
                                             "password": "short", "confirm": "short"})
    assert "at least 12 characters" in weak.get_data(as_text=True)
    with app.app_context():
        assert count(Organisation) == 1
