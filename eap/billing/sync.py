"""Packages → Stripe products and per-seat prices (lookup keys ``<slug>_month``/``_year``)."""

from __future__ import annotations

import sqlalchemy as sa

from eap.billing import gateway
from eap.extensions import db
from eap.packages.models import ServicePackage


def sync_packages() -> list[str]:
    """Bring Stripe in line with the packages; safe to run any number of times."""
    vat_id, vat_outcome = gateway.sync_vat_rate()
    report = [f"VAT 19 %: tax rate {vat_id} ({vat_outcome})"]
    for package in db.session.scalars(sa.select(ServicePackage).order_by(ServicePackage.id)):
        product = gateway.sync_product(
            package.slug, f"iGuS EAP {package.name_de}", package.description_de, package.active
        )
        package.stripe_product_id = product
        results = [
            gateway.sync_price(product, package.slug, interval, cents, package.active)
            for interval, cents in (
                ("month", package.price_month_cents), ("year", package.price_year_cents)
            )
        ]
        report.append(f"{package.slug}: product {product}, month {results[0]}, year {results[1]}")
    db.session.flush()
    return report
