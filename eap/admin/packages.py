"""Service packages as the administrators keep them. Prices reach Stripe by ``sync-stripe``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.security import audit


class PackageError(ValueError):
    """A rule that needs the database was broken (the message is for the form)."""


def all_packages() -> list[ServicePackage]:
    return list(
        db.session.scalars(
            sa.select(ServicePackage).order_by(
                ServicePackage.active.desc(), ServicePackage.sort_order, ServicePackage.id
            )
        )
    )


def get_package_or_404(package_id: int) -> ServicePackage:
    package = db.session.get(ServicePackage, package_id)
    if package is None:
        abort(404)
    return package


def create_package(slug: str, values: dict) -> ServicePackage:
    slug = slug.strip().lower()
    taken = db.session.scalar(sa.select(ServicePackage.id).where(ServicePackage.slug == slug))
    if taken is not None:
        raise PackageError(_l("A package with this key exists already."))
    package = ServicePackage(slug=slug, active=True, **values)
    db.session.add(package)
    db.session.flush()
    audit.record("package.create", "service_package", package.id)
    return package


def update_package(package: ServicePackage, values: dict) -> None:
    """Change everything but the slug (it names the package at Stripe)."""
    for name, value in values.items():
        setattr(package, name, value)
    db.session.flush()
    audit.record("package.update", "service_package", package.id)


def set_active(package: ServicePackage, active: bool) -> None:
    """Retire or reactivate. Retiring only hides it from new buyers: contracts keep running."""
    if package.active == active:
        return
    package.active = active
    db.session.flush()
    action = "package.reactivate" if active else "package.retire"
    audit.record(action, "service_package", package.id)
