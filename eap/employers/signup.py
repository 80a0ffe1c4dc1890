"""Signing an organisation up: the organisation, its first HR user (owner) and its access code."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from stdnum.eu import vat

from eap import mail
from eap.employers import access_codes, accounts
from eap.employers.countries import vat_country
from eap.employers.models import HrUser, Organisation
from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.security.passwords import hash_password, password_problem

BILLING_FIELDS = ("billing_street", "billing_postcode", "billing_city")


class AddressTaken(Exception):
    """The address has an account: the visitor gets the usual answer, the account a mail."""

    def __init__(self, user: HrUser):
        super().__init__("address taken")
        self.user = user


class SignupError(ValueError):
    def __init__(self, field: str, message, code: str = ""):
        super().__init__(str(message))
        self.field = field
        self.message = message
        self.code = code


class SignupProblems(ValueError):
    """Every problem the rules found, so that the form shows them all at once."""

    def __init__(self, problems: list[SignupError]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def clean_vat_id(value: str) -> str:
    """The VAT ID in compact form (``DE123456789``) if its format and check digit are right."""
    try:
        return vat.validate(value)
    except Exception as error:  # stdnum raises ValidationError subclasses
        raise SignupError("vat_id", _l("This VAT ID is not valid. Please check it.")) from error


def organisation_with_vat(vat_id: str, other_than: int | None = None) -> Organisation | None:
    query = sa.select(Organisation).where(Organisation.vat_id == vat_id)
    if other_than is not None:
        query = query.where(Organisation.id != other_than)
    return db.session.scalar(query.order_by(Organisation.id).limit(1))


def check(data: dict, skip: set[str] = frozenset()) -> list[SignupError]:
    """The rules that need the database or a library, for every field the form found valid
    (``skip`` names the fields that already show a problem)."""
    problems: list[SignupError] = []
    if "vat_id" not in skip and data.get("vat_id"):
        try:
            vat_id = clean_vat_id(data["vat_id"])
        except SignupError as problem:
            problems.append(problem)
        else:
            if data.get("country") and vat_country(vat_id) != data["country"]:
                problems.append(SignupError("vat_id", _l(
                    "This VAT ID belongs to another country than the one chosen above.")))
            elif organisation_with_vat(vat_id) and not data.get("vat_confirm"):
                problems.append(SignupError("vat_id", _l(
                    "Another organisation has already signed up with this VAT ID. If your "
                    "organisation already has an account, please ask its owner to invite you. "
                    "To sign up a separate account anyway, tick the box below."), "vat_taken"))
    if "password" not in skip and data.get("password"):
        problem = password_problem(data["password"])
        if problem:
            problems.append(SignupError("password", problem))
    if any((data.get(name) or "").strip() for name in (*BILLING_FIELDS, "billing_name")):
        for name in BILLING_FIELDS:
            if name not in skip and not (data.get(name) or "").strip():
                problems.append(SignupError(
                    name, _l("Please complete the billing address, or leave it empty.")))
    return problems


def sign_up(data: dict) -> HrUser:
    """Create organisation, owner (unverified) and primary code.

    Raises SignupProblems for what the form shows, and AddressTaken (after the same checks and
    the same hashing work) when the address has an account, which the answer must not reveal.
    """
    problems = check(data)
    if problems:
        raise SignupProblems(problems)
    vat_id = clean_vat_id(data["vat_id"])
    email = data["email"].strip().lower()
    password_hash = hash_password(data["password"])
    existing = accounts.find_by_email(email)
    if existing:
        raise AddressTaken(existing)
    billing = {name: (data.get(name) or "").strip() for name in (*BILLING_FIELDS, "billing_name")}
    organisation = Organisation(
        name=data["name"].strip(), street=data["street"].strip(),
        postcode=data["postcode"].strip(), city=data["city"].strip(),
        country=data.get("country") or vat_country(vat_id), vat_id=vat_id,
        billing_email=data["billing_email"].strip().lower(),
        employee_count=data["employee_count"],
        billing_country=(data.get("billing_country") or "") if billing["billing_street"] else "",
        **billing,
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


def chosen_package(slug: str | None) -> ServicePackage | None:
    """The active package named on the packages page, if any."""
    if not slug:
        return None
    return db.session.scalar(sa.select(ServicePackage).where(
        ServicePackage.slug == slug[:40], ServicePackage.active.is_(True)))


def tell_admins_about_shared_vat(organisation: Organisation) -> None:
    """A second organisation with a known VAT ID: iGuS administrators check it (after commit)."""
    first = organisation_with_vat(organisation.vat_id, other_than=organisation.id)
    address = current_app.config.get("ADMIN_ALERT_EMAIL")
    if first is None or not address:
        return
    mail.send_in_background(
        address, "EAP-Portal: USt-IdNr. mehrfach registriert / VAT ID registered twice",
        f"Die Organisation „{organisation.name}“ (Nr. {organisation.id}) hat sich mit der "
        f"USt-IdNr. {organisation.vat_id} registriert, die bereits „{first.name}“ "
        f"(Nr. {first.id}) verwendet. Bitte prüfen (Doppelkonto, Standort oder Irrtum).\n\n"
        f"The organisation \"{organisation.name}\" (no. {organisation.id}) signed up with VAT ID "
        f"{organisation.vat_id}, already used by \"{first.name}\" (no. {first.id}). "
        "Please check (duplicate account, separate site or mistake).",
    )
