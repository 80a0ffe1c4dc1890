"""Signing an organisation up: the organisation, its first HR user (owner) and its access code."""

from __future__ import annotations

from stdnum.eu import vat

from eap.employers import access_codes, accounts
from eap.employers.models import HrUser, Organisation
from eap.extensions import db
from eap.i18n import lazy_gettext as _l
from eap.security.passwords import hash_password, password_problem


class AddressTaken(Exception):
    """The address has an account: the visitor gets the usual answer, the account a mail."""

    def __init__(self, user: HrUser):
        super().__init__("address taken")
        self.user = user


class SignupError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def clean_vat_id(value: str) -> str:
    """The VAT ID in compact form (``DE123456789``) if its format and check digit are right."""
    try:
        return vat.validate(value)
    except Exception as error:  # stdnum raises ValidationError subclasses
        raise SignupError("vat_id", _l("This VAT ID is not valid. Please check it.")) from error


def sign_up(data: dict) -> HrUser:
    """Create organisation, owner (unverified) and primary code.

    Raises SignupError for what the form shows, and AddressTaken (after the same checks and the
    same hashing work) when the address has an account, which the answer must not reveal.
    """
    vat_id = clean_vat_id(data["vat_id"])
    email = data["email"].strip().lower()
    problem = password_problem(data["password"])
    if problem:
        raise SignupError("password", problem)
    password_hash = hash_password(data["password"])
    existing = accounts.find_by_email(email)
    if existing:
        raise AddressTaken(existing)
    organisation = Organisation(
        name=data["name"].strip(), street=data["street"].strip(),
        postcode=data["postcode"].strip(), city=data["city"].strip(),
        country=vat_id[:2] if vat_id[:2].isalpha() else "DE", vat_id=vat_id,
        billing_email=data["billing_email"].strip().lower(),
        employee_count=data["employee_count"],
    )
    db.session.add(organisation)
    db.session.flush()
    user = HrUser(
        organisation_id=organisation.id, email=email, name=data["contact_name"].strip(),
        password_hash=password_hash, role="owner",
    )
    db.session.add(user)
    access_codes.create_code(organisation)
    db.session.flush()
    return user
