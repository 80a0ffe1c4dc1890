"""Demo data for development and the browser tests (idempotent: run it as often as you like)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from eap.billing.models import Contract
from eap.employers import access_codes
from eap.employers.models import AccessCode, HrUser, Organisation
from eap.extensions import db
from eap.models import utcnow
from eap.packages.models import ServicePackage
from eap.security.passwords import hash_password
from eap.staff.models import StaffUser

DEMO_PASSWORD = "demo-passwort-2026"  # noqa: S105 (demo data, printed on purpose)

PACKAGES = [
    dict(
        slug="basis",
        sort_order=1,
        name_de="Basis",
        name_en="Basic",
        description_de=(
            "Psychosoziale Beratung für Beschäftigte: telefonisch, per Video oder im sicheren "
            "Portal, bei Stress, Konflikten und persönlichen Krisen."
        ),
        description_en=(
            "Psychosocial counselling for employees: by phone, video or in the secure portal, "
            "for stress, conflicts and personal crises."
        ),
        areas="psychological,social",
        dependants_included=False,
        response_hours=48,
        urgent_response_hours=24,
        price_month_cents=250,
        price_year_cents=2700,
    ),
    dict(
        slug="plus",
        sort_order=2,
        name_de="Plus",
        name_en="Plus",
        description_de=(
            "Medizinische, psychische und soziale Beratung für Beschäftigte und ihre "
            "Angehörigen, mit Vermittlung an Fachstellen vor Ort."
        ),
        description_en=(
            "Medical, psychological and social counselling for employees and their families, "
            "with referral to local specialist services."
        ),
        areas="medical,psychological,social",
        dependants_included=True,
        response_hours=24,
        urgent_response_hours=8,
        price_month_cents=400,
        price_year_cents=4300,
    ),
    dict(
        slug="premium",
        sort_order=3,
        name_de="Premium",
        name_en="Premium",
        description_de=(
            "Alles aus Plus, dazu persönliche Gespräche vor Ort, schnellste Rückmeldung und "
            "Unterstützung der Führungskräfte in akuten Situationen."
        ),
        description_en=(
            "Everything in Plus, with in-person sessions, the fastest response and support for "
            "managers in acute situations."
        ),
        areas="medical,psychological,social",
        dependants_included=True,
        response_hours=8,
        urgent_response_hours=4,
        price_month_cents=650,
        price_year_cents=7000,
    ),
]

DEMO_STAFF = [
    # email, name, role, fixed TOTP secret (demo only: printed so the login can be tried)
    ("triage@igus-demo.example", "Tanja Triage", "triage", "JBSWY3DPEHPK3PXPTRIAGE22"),
    ("berater@igus-demo.example", "Bernd Berater", "counsellor", "JBSWY3DPEHPK3PXPCOUNSEL2"),
    ("admin@igus-demo.example", "Anna Admin", "admin", "JBSWY3DPEHPK3PXPADMIN222"),
]
# Languages and specialties rank the assignment suggestions in the triage inbox.
DEMO_STAFF_PROFILE = {
    "counsellor": {"languages": "de,en,tr", "specialties": "stress,anxiety,family,work_conflict"},
    "triage": {"languages": "de,en,ru,uk"},
}
DEMO_HR_EMAIL = "personal@musterfirma-demo.example"


@dataclass
class DemoLogin:
    who: str
    email: str
    password: str
    totp_secret: str | None = None


def seed_packages() -> None:
    for data in PACKAGES:
        package = db.session.scalar(
            sa.select(ServicePackage).where(ServicePackage.slug == data["slug"])
        )
        if package is None:
            db.session.add(ServicePackage(**data))


def seed_demo() -> list[DemoLogin]:
    seed_packages()
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Musterfirma GmbH"))
    if org is None:
        org = Organisation(
            name="Musterfirma GmbH",
            street="Musterstraße 1",
            postcode="57072",
            city="Siegen",
            vat_id="DE136695976",
            billing_email="buchhaltung@musterfirma-demo.example",
            employee_count=120,
        )
        db.session.add(org)
        db.session.flush()
    _seed_contract_and_code(org)
    logins = []
    if db.session.scalar(sa.select(HrUser).where(HrUser.email == DEMO_HR_EMAIL)) is None:
        db.session.add(
            HrUser(
                organisation_id=org.id,
                email=DEMO_HR_EMAIL,
                name="Petra Personal",
                role="owner",
                password_hash=hash_password(DEMO_PASSWORD),
                email_verified_at=utcnow(),
            )
        )
    logins.append(DemoLogin("HR owner (Musterfirma GmbH)", DEMO_HR_EMAIL, DEMO_PASSWORD))
    for email, name, role, secret in DEMO_STAFF:
        if db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email)) is None:
            db.session.add(
                StaffUser(
                    email=email,
                    name=name,
                    role=role,
                    password_hash=hash_password(DEMO_PASSWORD),
                    totp_secret=secret,
                    **DEMO_STAFF_PROFILE.get(role, {}),
                )
            )
        logins.append(DemoLogin(f"iGuS {role}", email, DEMO_PASSWORD, secret))
    db.session.flush()
    _open_demo_chat()
    return logins


def _open_demo_chat() -> None:
    """The demo counsellor is at the chat for 12 hours from each ``make run`` (then as set at
    the chat desk), so that the live chat can be tried at once, also as a guest."""
    from eap.chat import presence

    counsellor = db.session.scalar(sa.select(StaffUser).where(
        StaffUser.email == "berater@igus-demo.example"))
    if counsellor is not None:
        presence.open_for(counsellor, 12, 3, with_availability=True)


def _seed_contract_and_code(org: Organisation) -> None:
    """An active Plus contract and a primary access code, so the requester side can be tried."""
    if db.session.scalar(sa.select(Contract.id).where(Contract.organisation_id == org.id)) is None:
        package = db.session.scalar(sa.select(ServicePackage).where(ServicePackage.slug == "plus"))
        now = utcnow()
        db.session.add(
            Contract(
                organisation_id=org.id, package_id=package.id, seats=120, interval="month",
                status="active", collection="invoice", current_period_start=now,
                current_period_end=now + timedelta(days=30),
            )
        )
    if demo_access_code(org) is None:
        access_codes.create_code(org)


def demo_access_code(org: Organisation | None = None) -> str | None:
    """The demo employer's primary access code, grouped for reading."""
    org = org or db.session.scalar(
        sa.select(Organisation).where(Organisation.name == "Musterfirma GmbH")
    )
    code = org and db.session.scalar(
        sa.select(AccessCode).where(
            AccessCode.organisation_id == org.id,
            AccessCode.is_primary.is_(True),
            AccessCode.active.is_(True),
        )
    )
    return access_codes.grouped(code.code) if code else None


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()
