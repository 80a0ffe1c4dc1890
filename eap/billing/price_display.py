"""Prices as a buyer compares them: per seat net and gross, monthly and yearly, and the saving."""

from __future__ import annotations

from dataclasses import dataclass

from eap.billing.pricing import VAT_PERCENT
from eap.packages.models import ServicePackage


def gross(net_cents: int) -> int:
    return net_cents + (net_cents * VAT_PERCENT + 50) // 100


@dataclass(frozen=True)
class SeatPrices:
    month_net: int
    month_gross: int
    year_net: int
    year_gross: int
    saving_net: int  # per seat and year, yearly billing against twelve months
    saving_percent: int


def seat_prices(package: ServicePackage) -> SeatPrices:
    month, year = package.price_month_cents, package.price_year_cents
    saving = max(12 * month - year, 0)
    percent = round(100 * saving / (12 * month)) if month else 0
    return SeatPrices(month, gross(month), year, gross(year), saving, percent)
