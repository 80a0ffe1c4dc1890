"""The employer's report: stored differentially private releases → what the page and CSV show.

Every number comes from a stored release (eap.reports.release); nothing here reads a counter.
The page, the CSV and the requester's "what your employer sees" page all render
:class:`Report`, so they show the same cells. Post-processing only: negative noisy counts read
0, the total is the sum of the noisy area counts, utilisation is computed from that total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from eap.billing.contracts import has_started_sql
from eap.billing.models import Contract
from eap.extensions import db
from eap.reports import charts, layout, periods, release
from eap.requests.deadlines import quarter_of

NOT_APPLICABLE = "–"


@dataclass
class Row:
    label: str
    texts: list[str]
    values: list[int | None]  # for the chart


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[Row]

    @property
    def chart(self) -> charts.Chart:
        return charts.bar_chart(
            f"chart-{self.key}", self.title, [row.label for row in self.rows],
            [(header, [row.values[i] for row in self.rows])
             for i, header in enumerate(self.headers)],
            texts=[[row.texts[i] for row in self.rows] for i in range(len(self.headers))],
        )


@dataclass
class Report:
    quarter: str | None
    year_ago: str = ""
    total: str = NOT_APPLICABLE
    total_before: str = NOT_APPLICABLE
    utilisation: str = NOT_APPLICABLE
    seats: int | None = None
    sections: list[Section] = field(default_factory=list)
    year: str | None = None
    year_sections: list[Section] = field(default_factory=list)
    epsilon_quarter: float | None = None
    epsilon_year: float | None = None

    @property
    def published(self) -> bool:
        return self.quarter is not None

    @property
    def epsilon_text(self) -> str:
        return format_decimal(round(self.epsilon_quarter or 0, 2), format="0.0#")


def seats_of(organisation_id: int) -> int | None:
    """Seats of the organisation's newest contract that was ever paid for."""
    return db.session.scalar(
        sa.select(Contract.seats)
        .where(Contract.organisation_id == organisation_id, has_started_sql())
        .order_by(Contract.created_at.desc(), Contract.id.desc())
        .limit(1)
    )


def start_quarter(organisation_id: int) -> str | None:
    """The quarter the organisation's first paid contract started in."""
    start = db.session.scalar(
        sa.select(sa.func.min(Contract.created_at))
        .where(Contract.organisation_id == organisation_id, has_started_sql())
    )
    return quarter_of(start) if start else None


def utilisation(total: int, seats: int | None, periods_per_year: int = 4) -> float | None:
    """Requests per 100 seats per year, annualised from one period."""
    if not seats:
        return None
    return total * periods_per_year * 100 / seats


def quarter_choices(organisation_id: int, now=None) -> list[str]:
    """The ended quarters since the contract started, newest first. The list depends on the
    contract only, never on when anybody asked."""
    first = start_quarter(organisation_id)
    if first is None or first > periods.last_completed_quarter(now):
        return []
    return periods.completed_quarters(first, now)


def shown(value: int) -> int:
    return max(value, 0)


def _values(stored, key: str) -> dict[str, int] | None:
    if stored is None:
        return None
    series = next((s for s in stored.cells["series"] if s["key"] == key), None)
    return dict(zip(series["rows"], series["values"], strict=True)) if series else None


def _text(values: dict[str, int] | None, row: str) -> str:
    return NOT_APPLICABLE if values is None else str(shown(values[row]))


def _total(stored) -> int | None:
    values = _values(stored, "area")
    return None if values is None else shown(sum(values.values()))


def _section(key: str, headers: list[str], columns: list, labels: dict,
             title: str | None = None) -> Section:
    """One released series as a table: one column per release (None: not available)."""
    source = next(c for c in columns if c is not None)
    rows = next(s["rows"] for s in source.cells["series"] if s["key"] == key)
    values = [_values(column, key) for column in columns]
    return Section(key, title or str(layout.TITLES[key]), headers, [
        Row(layout.label_of(key, row, labels), [_text(v, row) for v in values],
            [None if v is None else shown(v[row]) for v in values])
        for row in rows
    ])


def report_year(quarter: str, first: str, now=None) -> str | None:
    """The calendar year whose finer breakdowns go with ``quarter``: its own year once that has
    ended, else the year before; none before the contract started."""
    year = int(quarter[:4])
    if not release.ended(release.YEAR, str(year), now):
        year -= 1
    return str(year) if year >= int(first[:4]) else None


def build(organisation_id: int, quarter: str | None, now=None) -> Report:
    """The report of an ended quarter (drawing its stored releases if nobody has yet)."""
    if quarter is None:
        return Report(None)
    first = start_quarter(organisation_id) or quarter
    report = Report(quarter, periods.year_before(quarter), seats=seats_of(organisation_id))
    now_release = release.get_or_draw(organisation_id, release.QUARTER, quarter,
                                      report.seats, now)
    before = (release.get_or_draw(organisation_id, release.QUARTER, report.year_ago,
                                  report.seats, now)
              if report.year_ago >= first else None)
    report.epsilon_quarter = now_release.epsilon
    total, total_before = _total(now_release), _total(before)
    report.total = str(total)
    report.total_before = NOT_APPLICABLE if total_before is None else str(total_before)
    rate = utilisation(total, report.seats)
    if rate is not None:
        report.utilisation = format_decimal(rate, format="#,##0.0")
    report.sections = [_section("area", [quarter, report.year_ago], [now_release, before], {})]
    report.year = report_year(quarter, first, now)
    if report.year:
        yearly = release.get_or_draw(organisation_id, release.YEAR, report.year,
                                     report.seats, now)
        report.epsilon_year = yearly.epsilon
        report.year_sections = [
            _section(series["key"], [report.year], [yearly], yearly.cells["labels"],
                     _("%(breakdown)s, year %(year)s",
                       breakdown=layout.TITLES[series["key"]], year=report.year))
            for series in yearly.cells["series"]
        ]
    return report


def latest(organisation_id: int, now=None) -> Report:
    """The newest published quarter's report (what a requester is shown)."""
    choices = quarter_choices(organisation_id, now)
    return build(organisation_id, choices[0] if choices else None, now)


def csv_rows(report: Report) -> list[list[str]]:
    """Exactly the page's cells, row by row."""
    if not report.published:
        return [[_("No quarter of your contract has ended yet.")]]
    rows = [
        [_("Breakdown"), _("Category"), report.quarter, report.year_ago],
        [_("All requests"), _("Total"), report.total, report.total_before],
        [_("All requests"), _("Requests per 100 seats per year"), report.utilisation,
         NOT_APPLICABLE],
    ]
    for section in report.sections + report.year_sections:
        rows += [[section.title, row.label, *row.texts] for row in section.rows]
    return rows
