"""The list of external services cases are referred to (kept by administrators)."""

from __future__ import annotations

import sqlalchemy as sa

from eap.counselling.models import ReferralService
from eap.extensions import db

# Seeded by migration 0006 as well; names are proper names and stay German.
DEFAULT_SERVICES = (
    ("Migrationsberatung für erwachsene Zuwanderer (MBE)", "Migration counselling for adults"),
    ("Jugendmigrationsdienst (JMD)", "Youth migration service, 12 to 27 years"),
    ("Schuldnerberatung", "Debt counselling"),
    ("Suchtberatung", "Addiction counselling"),
    ("Telefonseelsorge", "0800 111 0 111 or 0800 111 0 222, free, 24/7"),
)


def seed_defaults() -> None:
    """Add the default services that are missing (idempotent)."""
    known = set(db.session.scalars(sa.select(ReferralService.name)))
    for name, details in DEFAULT_SERVICES:
        if name not in known:
            db.session.add(ReferralService(name=name, details=details, active=True))
    db.session.flush()


def all_services() -> list[ReferralService]:
    return list(db.session.scalars(
        sa.select(ReferralService).order_by(ReferralService.active.desc(), ReferralService.name)
    ))


def active_services() -> list[ReferralService]:
    return list(db.session.scalars(
        sa.select(ReferralService).where(ReferralService.active.is_(True))
        .order_by(ReferralService.name)
    ))


def name_taken(name: str, except_id: int | None = None) -> bool:
    query = sa.select(ReferralService.id).where(ReferralService.name == name.strip())
    if except_id is not None:
        query = query.where(ReferralService.id != except_id)
    return db.session.scalar(query) is not None


def save(service: ReferralService | None, name: str, details: str, active: bool):
    service = service or ReferralService()
    service.name, service.details, service.active = name.strip(), details.strip(), active
    db.session.add(service)
    db.session.flush()
    return service
