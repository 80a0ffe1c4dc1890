"""Service figures for iGuS administrators, read from counters and a few small live queries.

Nothing here scans the cases: requests and response times come from ``ServiceCounter``,
utilisation from the organisations' quarterly ``UsageCounter`` totals, open cases from the
(assignee, status) index, and revenue from the contracts (via ``eap.admin.organisations``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from eap.billing.contracts import grants_access_sql
from eap.billing.models import Contract
from eap.billing.pricing import MONTHLY_CENTS_SQL
from eap.employers.models import Organisation
from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.reports import periods
from eap.reports.hr_report import utilisation
from eap.requests import choices, counters
from eap.requests.models import HelpRequest, ServiceCounter, UsageCounter
from eap.staff.models import StaffUser

MONTHS = 12
COUNSELLING_ROLES = ("counsellor", "triage")


def _by_month(dimension: str, months: list[str]) -> dict[str, dict[str, int]]:
    cells: dict[str, dict[str, int]] = {month: defaultdict(int) for month in months}
    rows = db.session.execute(
        sa.select(ServiceCounter.month, ServiceCounter.value, ServiceCounter.count)
        .where(ServiceCounter.dimension == dimension, ServiceCounter.month.in_(months))
    )
    for month, value, count in rows:
        cells[month][value] += count
    return cells


FOLLOW_UP_VALUES = ("reached", "not_reached", "helped_yes", "helped_partly", "helped_no")


def referral_follow_ups_per_month(months: list[str]) -> list[tuple[str, list[int]]]:
    """(month, [count per ``FOLLOW_UP_VALUES``]) of the referral follow-up answers."""
    cells = _by_month(counters.REFERRAL_FOLLOW_UP, months)
    return [(month, [cells[month][value] for value in FOLLOW_UP_VALUES]) for month in months]


def requests_per_month(months: list[str]) -> list[tuple[str, list[int]]]:
    """(month, [count per area in ``choices.AREAS`` order]) oldest first."""
    cells = _by_month(counters.AREA, months)
    return [(month, [cells[month][area] for area in choices.AREAS]) for month in months]


@dataclass
class OnTime:
    month: str
    answered: int
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time * 100 / self.answered if self.answered else None


def on_time_per_month(months: list[str]) -> list[OnTime]:
    cells = _by_month(counters.FIRST_RESPONSE, months)
    return [
        OnTime(month, cells[month]["on_time"] + cells[month]["late"], cells[month]["on_time"])
        for month in months
    ]


@dataclass
class Caseload:
    name: str
    open_now: int
    this_year: int
    capacity: int
    role: str = "counsellor"

    @property
    def load(self) -> float:
        return self.this_year * 100 / self.capacity if self.capacity else 0.0


def caseloads(now=None) -> list[Caseload]:
    """Open cases (live, by the assignee index) and cases taken this year against capacity."""
    staff = db.session.execute(
        sa.select(StaffUser.id, StaffUser.name, StaffUser.yearly_capacity, StaffUser.role)
        .where(StaffUser.active.is_(True), StaffUser.role.in_(COUNSELLING_ROLES))
        .order_by(StaffUser.name, StaffUser.id)
    ).all()
    ids = [person.id for person in staff]
    open_now = dict(db.session.execute(
        sa.select(HelpRequest.assigned_staff_id, sa.func.count())
        .where(HelpRequest.assigned_staff_id.in_(ids),
               HelpRequest.status.in_(choices.OPEN_STATUSES))
        .group_by(HelpRequest.assigned_staff_id)
    ).all()) if ids else {}
    year = periods.last_months(1, now)[0][:4]
    this_year = _by_month(counters.COUNSELLOR, [f"{year}-{m:02d}" for m in range(1, 13)])
    taken: dict[str, int] = defaultdict(int)
    for cells in this_year.values():
        for value, count in cells.items():
            taken[value] += count
    return [
        Caseload(name, open_now.get(staff_id, 0), taken[str(staff_id)], capacity or 0, role)
        for staff_id, name, capacity, role in staff
    ]


@dataclass
class OrganisationUse:
    name: str
    seats: int
    requests: int
    rate: float | None
    mrr_cents: int


def paid_contracts(now) -> list:
    """Every contract that is paid for at ``now``, newest first within an organisation: rows of
    (organisation_id, name, seats, name_de, name_en, mrr_cents), the package's names included.
    Columns, not ORM objects: with 300 organisations the page loaded some 600 contracts as
    objects and checked each in Python. Read once per page, for the utilisation and the revenue
    tables."""
    return db.session.execute(
        sa.select(Contract.organisation_id, Organisation.name, Contract.seats,
                  ServicePackage.name_de, ServicePackage.name_en,
                  MONTHLY_CENTS_SQL.label("mrr_cents"))
        .join(ServicePackage, ServicePackage.id == Contract.package_id)
        .join(Organisation, Organisation.id == Contract.organisation_id)
        .where(grants_access_sql(now))
        .order_by(Contract.organisation_id, Contract.created_at.desc(), Contract.id.desc())
    ).all()


def organisation_use(contracts: list, now) -> tuple[list[OrganisationUse], list[str]]:
    """Requests in the last four ended quarters per 100 seats, per organisation paying at ``now``
    (``contracts``: its ``paid_contracts``)."""
    last = periods.last_completed_quarter(now)
    quarters = [periods.shift_quarter(last, -i) for i in range(4)]
    totals = dict(db.session.execute(
        sa.select(UsageCounter.organisation_id, sa.func.sum(UsageCounter.count))
        .where(UsageCounter.dimension == "total", UsageCounter.quarter.in_(quarters))
        .group_by(UsageCounter.organisation_id)
    ).all())
    rows, seen = [], set()
    for contract in contracts:
        if contract.organisation_id in seen:  # its newest paid contract counts
            continue
        seen.add(contract.organisation_id)
        requests = int(totals.get(contract.organisation_id, 0))
        rows.append(OrganisationUse(
            contract.name, contract.seats, requests, utilisation(requests, contract.seats, 1),
            contract.mrr_cents,
        ))
    rows.sort(key=lambda row: (-(row.rate or 0), row.name))
    return rows, quarters


@dataclass
class QuickErasures:
    name: str
    count: int


def account_bursts(months: list[str]) -> list[QuickErasures]:
    """Per organisation, the hours in ``months`` in which one access code got more new accounts
    than ``ACCOUNT_BURST_THRESHOLD`` (counts only; eap.requests.limits.note_new_account)."""
    return quick_erasures(months, counters.ACCOUNT_BURST)


def quick_erasures(months: list[str], dimension: str = counters.QUICK_ERASURE
                   ) -> list[QuickErasures]:
    """Per organisation, accounts erased within a week of their creation in ``months``: a burst
    can mean someone pads an access code with accounts of their own (counts only)."""
    per_organisation: dict[int, int] = defaultdict(int)
    for cells in _by_month(dimension, months).values():
        for value, count in cells.items():
            per_organisation[int(value)] += count
    if not per_organisation:
        return []
    names = dict(db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(list(per_organisation)))).all())
    rows = [QuickErasures(names.get(organisation_id, "–"), count)
            for organisation_id, count in per_organisation.items()]
    return sorted(rows, key=lambda row: (-row.count, row.name))


def mrr_by_package(contracts: list, locale: str) -> tuple[list[tuple[str, int]], int]:
    """(package name, MRR cents) and the total. The rows are summed with the same SQL as the
    admin overview's total (``MONTHLY_CENTS_SQL``, ``grants_access_sql``), so the two totals
    agree."""
    per_package: dict[str, int] = defaultdict(int)
    for contract in contracts:
        # ServicePackage.name's rule, applied to the row's name columns
        per_package[ServicePackage.name(contract, locale)] += contract.mrr_cents
    return sorted(per_package.items()), sum(per_package.values())
