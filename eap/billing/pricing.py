"""Prices shown before buying: net per seat × seats, 19 % VAT, gross (all in euro cents)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eap.billing.models import Contract
from eap.packages.models import ServicePackage

VAT_PERCENT = 19
MIN_SEATS = 1
MAX_SEATS = 100_000  # more than any client has employees; beyond is a typo


@dataclass(frozen=True)
class Quote:
    unit_cents: int
    seats: int
    net_cents: int
    vat_cents: int
    gross_cents: int


def unit_price(package: ServicePackage, interval: str) -> int:
    return package.price_year_cents if interval == "year" else package.price_month_cents


def quote(package: ServicePackage, seats: int, interval: str) -> Quote:
    unit = unit_price(package, interval)
    net = unit * seats
    # Commercial rounding on the total, as Stripe does for an exclusive tax rate.
    vat = (net * VAT_PERCENT + 50) // 100
    return Quote(unit, seats, net, vat, net + vat)


# --- Monthly recurring revenue ---------------------------------------------------------------

def monthly_cents(seats: int, interval: str, package: ServicePackage) -> int:
    """Seats × monthly price, or a twelfth of seats × yearly price (rounded half up)."""
    if interval == "year":
        return (seats * package.price_year_cents + 6) // 12
    return seats * package.price_month_cents


# monthly_cents() in SQL, for sums over many contracts (joined with their package).
MONTHLY_CENTS_SQL = sa.case(
    (Contract.interval == "year", (Contract.seats * ServicePackage.price_year_cents + 6) // 12),
    else_=Contract.seats * ServicePackage.price_month_cents,
)
