"""The requester's privacy receipt (issue 27): what of this calendar year's privacy budget the
account has used, read from its own counted quarter and the organisation's stored releases.
Shown on "What your employer sees" (eap/reports/requester_views.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from eap.reports import budget, periods, release
from eap.reports.hr_report import epsilon_text, is_old


@dataclass
class ReceiptItem:
    kind: str  # "quarter" or "year"
    period: str
    epsilon: float
    published: bool
    old: bool = False

    @property
    def epsilon_text(self) -> str:
        return epsilon_text(self.epsilon)


@dataclass
class Receipt:
    year: str
    counted_quarter: str | None
    items: list[ReceiptItem] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.counted_quarter is not None

    @property
    def used(self) -> float:
        return sum(item.epsilon for item in self.items)

    @property
    def used_text(self) -> str:
        return epsilon_text(self.used)

    @property
    def budget_text(self) -> str:
        return epsilon_text(budget.YEARLY_BUDGET)


def receipt(account, now=None) -> Receipt:
    """What of this calendar year's privacy budget this account has used: read from its own
    counted quarter (eap.requests.counters) and the organisation's stored releases; a release
    still to come is listed with the ε it will cost. Reads, never draws."""
    year = periods.current_quarter(now)[:4]
    counted = account.counted_quarter
    result = Receipt(year, counted if (counted or "").startswith(year) else None)
    if not result.counted:
        return result
    organisation_id = account.organisation_id
    # Releases of the earlier design counted everyone who asked in a quarter: each of this
    # year's up to the counted one may hold this account.
    for number in range(1, 5):
        period = f"{year}Q{number}"
        if period > result.counted_quarter:
            break
        stored = release.stored(organisation_id, release.QUARTER, period)
        if stored is not None and is_old(stored):
            result.items.append(ReceiptItem(release.QUARTER, period, stored.epsilon, True, True))
        elif period == result.counted_quarter:
            result.items.append(ReceiptItem(
                release.QUARTER, period,
                stored.epsilon if stored is not None else budget.QUARTER_EPSILON,
                stored is not None))
    yearly = release.stored(organisation_id, release.YEAR, year)
    if yearly is not None:
        epsilon = yearly.epsilon
    else:
        epsilon = budget.YEAR_EPSILON if release.plan_of(organisation_id, release.YEAR,
                                                        year).rows else 0.0
    result.items.append(ReceiptItem(release.YEAR, year, epsilon, yearly is not None,
                                    yearly is not None and is_old(yearly)))
    return result
