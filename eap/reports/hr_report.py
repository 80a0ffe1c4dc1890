"""The employer's quarterly report: counters → suppressed tables → what the page and CSV show.

The page and the CSV both render :class:`Report` through :func:`cell_text`, so the export holds
exactly the page's cells. Only ended quarters are offered (see ``periods.completed_quarters``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from eap.billing.models import Contract
from eap.extensions import db
from eap.reports import breakdowns, periods, suppression
from eap.reports.suppression import Cell
from eap.requests.models import UsageCounter

NOT_APPLICABLE = "–"
PAID_STATUSES = ("active", "past_due", "cancelled", "ended")


@dataclass
class QuarterTables:
    """One quarter as the report may show it: its total and each breakdown, suppressed."""

    quarter: str
    total: int
    tables: dict[str, list[Cell] | None] = field(default_factory=dict)
    keys: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def reportable(self) -> bool:
        return not suppression.too_few(self.total)

    def cell(self, breakdown: str, key: str) -> Cell | None:
        return next((c for c in self.tables.get(breakdown) or () if c.key == key), None)


@dataclass
class Row:
    label: str
    now: str
    before: str
    now_value: int | None  # for the chart: only shown cells have a bar
    before_value: int | None


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]
    withheld_now: bool
    withheld_before: bool


@dataclass
class Report:
    quarter: str
    year_ago: str
    reportable: bool
    total: str = ""
    total_before: str = ""
    utilisation: str = NOT_APPLICABLE
    seats: int | None = None
    sections: list[Section] = field(default_factory=list)


def quarter_tables(organisation_id: int, quarter: str, codes: list) -> QuarterTables:
    """A quarter's tables from its own counters only: the same wherever they are shown.
    ``codes`` are the organisation's access codes (``breakdowns.codes_of``)."""
    raw = breakdowns.counters_of(organisation_id, quarter)
    result = QuarterTables(quarter, breakdowns.total_of(raw))
    if result.reportable:
        tables, result.names = breakdowns.tables_of(codes, quarter, raw)
        result.keys = {key: list(counts) for key, counts in tables.items()}
        result.tables = {key: suppression.suppress(counts) for key, counts in tables.items()}
    return result


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return NOT_APPLICABLE
    if cell.status == suppression.SMALL:
        return "< 5"
    if cell.status == suppression.HIDDEN:
        return _("hidden")
    return str(cell.count)


def _total_text(tables: QuarterTables) -> str:
    return str(tables.total) if tables.reportable else "< 5"


def _section(key: str, now: QuarterTables, before: QuarterTables) -> Section:
    keys = list(now.keys[key])
    keys += [item for item in before.keys.get(key, ()) if item not in keys]
    names = {**before.names, **now.names}
    rows = []
    for item in keys:
        this, last = now.cell(key, item), before.cell(key, item)
        rows.append(Row(
            breakdowns.label_of(key, item, names), cell_text(this), cell_text(last),
            this.count if this and this.shown else None,
            last.count if last and last.shown else None,
        ))
    return Section(
        key, str(breakdowns.TITLES[key]), rows,
        withheld_now=now.tables.get(key) is None,
        withheld_before=before.reportable and key in before.tables
        and before.tables[key] is None,
    )


_SEATS = (
    sa.select(Contract.seats)
    .where(Contract.organisation_id == sa.bindparam("organisation_id"),
           Contract.status.in_(PAID_STATUSES))
    .order_by(Contract.created_at.desc(), Contract.id.desc())
    .limit(1)
)
_FIRST_QUARTER = sa.select(sa.func.min(UsageCounter.quarter)).where(
    UsageCounter.organisation_id == sa.bindparam("organisation_id")
)


def seats_of(organisation_id: int) -> int | None:
    """Seats of the organisation's newest contract that was ever paid for."""
    return db.session.scalar(_SEATS, {"organisation_id": organisation_id})


def utilisation(total: int, seats: int | None, periods_per_year: int = 4) -> float | None:
    """Requests per 100 seats per year, annualised from one period."""
    if not seats:
        return None
    return total * periods_per_year * 100 / seats


def build(organisation_id: int, quarter: str) -> Report:
    codes = breakdowns.codes_of(organisation_id)  # read once for both quarters
    now = quarter_tables(organisation_id, quarter, codes)
    report = Report(quarter, periods.year_before(quarter), now.reportable)
    if not now.reportable:
        return report
    before = quarter_tables(organisation_id, report.year_ago, codes)
    report.total, report.total_before = _total_text(now), _total_text(before)
    report.seats = seats_of(organisation_id)
    rate = utilisation(now.total, report.seats)
    if rate is not None:
        report.utilisation = format_decimal(rate, format="#,##0.0")
    report.sections = [_section(key, now, before) for key in now.tables]
    return report


def first_quarter(organisation_id: int) -> str | None:
    return db.session.scalar(_FIRST_QUARTER, {"organisation_id": organisation_id})


def quarter_choices(organisation_id: int) -> list[str]:
    """The ended quarters worth offering, newest first."""
    first = first_quarter(organisation_id) or periods.last_completed_quarter()
    return periods.completed_quarters(first)


def csv_rows(report: Report) -> list[list[str]]:
    """Exactly the page's cells, row by row."""
    if not report.reportable:
        return [[_("Quarter"), report.quarter],
                [_("Not enough requests to report anonymously.")]]
    rows = [
        [_("Breakdown"), _("Category"), report.quarter, report.year_ago],
        [_("All requests"), _("Total"), report.total, report.total_before],
        [_("All requests"), _("Requests per 100 seats per year"), report.utilisation,
         NOT_APPLICABLE],
    ]
    for section in report.sections:
        rows += [[section.title, row.label, row.now, row.before] for row in section.rows]
    return rows
