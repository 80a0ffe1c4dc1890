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
from eap.reports import budget, charts, layout, periods, release
from eap.requests.deadlines import quarter_of

NOT_APPLICABLE = "–"
OLD_MARK = "*"  # a number drawn under the earlier design (before issue 27)


@dataclass
class Cell:
    """One published number and its 90 % interval (texts as shown; the value for the chart)."""

    text: str = NOT_APPLICABLE
    range_text: str = NOT_APPLICABLE
    value: float | None = None


def count_cell(raw: int | None, width: int, old: bool = False) -> Cell:
    """A noisy count as shown (negative reads 0) with its interval ± ``width``."""
    if raw is None:
        return Cell()
    low, high = budget.interval(raw, width)
    return Cell(str(shown(raw)) + (OLD_MARK if old else ""), f"{low}–{high}", shown(raw))


@dataclass
class Row:
    label: str
    cells: list[Cell]

    @property
    def texts(self) -> list[str]:
        """Number and range of each column, as in the table and the CSV."""
        return [text for cell in self.cells for text in (cell.text, cell.range_text)]

    @property
    def values(self) -> list[float | None]:
        return [cell.value for cell in self.cells]


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[Row]
    width: int = 0  # ± of one number of this table (9 times in 10)
    old: bool = False  # drawn under the earlier design
    chart_rows: int | None = None  # the rows the chart draws (the summary: the two counts)

    @property
    def chart(self) -> charts.Chart:
        rows = self.rows[:self.chart_rows]
        return charts.bar_chart(
            f"chart-{self.key}", self.title, [row.label for row in rows],
            [(header, [row.values[i] for row in rows])
             for i, header in enumerate(self.headers)],
            texts=[[row.cells[i].text for row in rows] for i in range(len(self.headers))],
        )


@dataclass
class Report:
    quarter: str | None
    year_ago: str = ""
    seats: int | None = None
    summary: Section | None = None
    sections: list[Section] = field(default_factory=list)
    year: str | None = None
    year_sections: list[Section] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # breakdowns not published for the class
    epsilon_quarter: float | None = None
    epsilon_year: float | None = None
    old_design: bool = False  # some number on the page was drawn under the earlier design
    sample: bool = False  # invented numbers, never a release (eap/reports/sample.py)

    @property
    def published(self) -> bool:
        return self.quarter is not None and not self.sample

    @property
    def epsilon_text(self) -> str:
        return epsilon_text(self.epsilon_quarter)

    @property
    def epsilon_year_text(self) -> str:
        return epsilon_text(self.epsilon_year if self.epsilon_year is not None
                        else budget.YEAR_EPSILON)

    @property
    def total_width(self) -> int:
        return budget.half_width(budget.quarter_scale())


def epsilon_text(value: float | None) -> str:
    return format_decimal(round(value or 0, 2), format="0.0#")


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


def is_old(stored) -> bool:
    return stored is not None and release.design_of(stored) == release.OLD_DESIGN


def _first_this_year(stored) -> tuple[int | None, list[float]]:
    """(noisy count, the scales it is the sum of) of a quarter release: its one count; for an
    earlier release, the sum of its three area counts (everyone who asked in that quarter)."""
    if stored is None:
        return None, []
    scale = release.scale_of(stored)
    values = _values(stored, layout.QUARTER_TOTAL) or _values(stored, "area")
    return sum(values.values()), [scale] * len(values)


def _total_cell(stored) -> Cell:
    raw, scales = _first_this_year(stored)
    return count_cell(raw, budget.sum_half_width(scales), old=is_old(stored))


def _so_far(quarter: str, first: str, get) -> tuple[int | None, list[float]]:
    """The people helped this year up to ``quarter``: the sum of the year's quarter counts as
    shown, so that it adds up on the page (none where one of them was drawn under the earlier
    design)."""
    raw, scales = 0, []
    for number in range(1, int(quarter[-1]) + 1):
        period = f"{quarter[:4]}Q{number}"
        if period < first:
            continue
        stored = get(period)
        if stored is None or is_old(stored):
            return None, []
        value, cell_scales = _first_this_year(stored)
        raw += shown(value)  # the sum of the counts as shown (each within its ± when the
        scales += cell_scales  # noisy one is: clamping at 0 only moves towards the truth)
    return (raw, scales) if scales else (None, [])


def per_seats(raw: int | None, scales: list[float], seats: int | None) -> Cell:
    if raw is None or not seats:
        return Cell()
    low, high = budget.interval(raw, budget.sum_half_width(scales))
    rate = shown(raw) * 100 / seats

    def text(value):
        return format_decimal(value, format="#,##0.0")

    return Cell(text(rate), f"{text(low * 100 / seats)}–{text(high * 100 / seats)}", rate)


def _section(key: str, headers: list[str], columns: list, labels: dict,
             title: str | None = None) -> Section:
    """One released series as a table: one column per release (None: not available), each
    number with its interval from the release's stored scale."""
    source = next(c for c in columns if c is not None)
    rows = next(s["rows"] for s in source.cells["series"] if s["key"] == key)
    values = [_values(column, key) for column in columns]
    widths = [budget.half_width(release.scale_of(c)) if c is not None else 0 for c in columns]
    old = any(is_old(c) for c in columns)
    return Section(key, title or str(layout.TITLES[key]), headers, [
        Row(layout.label_of(key, row, labels),
            [count_cell(None if v is None else v[row], w, is_old(c))
             for v, w, c in zip(values, widths, columns, strict=True)])
        for row in rows
    ], width=widths[0], old=old)


def withheld_breakdowns(size_key: str) -> list[str]:
    """The breakdowns the largest class has that this class does not publish."""
    shown_keys = set(layout.size_class_named(size_key).series)
    return [str(layout.TITLES[key]) for key in layout.SIZE_CLASSES[-1].series
            if key not in shown_keys]


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

    def get(period: str):
        if period < first:
            return None
        return release.get_or_draw(organisation_id, release.QUARTER, period, now)

    now_release, before = get(quarter), get(report.year_ago)
    # the ε sentence describes the current design; numbers of the earlier one carry its note
    report.epsilon_quarter = (budget.QUARTER_EPSILON if is_old(now_release)
                              else now_release.epsilon)
    so_far, so_far_before = _so_far(quarter, first, get), _so_far(report.year_ago, first, get)
    headers = [quarter, report.year_ago]
    report.summary = Section("summary", _("All requests"), headers, [
        Row(_("People who asked for the first time this year"),
            [_total_cell(now_release), _total_cell(before)]),
        Row(_("People helped this year up to this quarter"),
            [count_cell(raw, budget.sum_half_width(scales)) for raw, scales in
             (so_far, so_far_before)]),
        Row(_("People helped this year per 100 seats"),
            [per_seats(*so_far, report.seats), per_seats(*so_far_before, report.seats)]),
    ], width=budget.sum_half_width([release.scale_of(now_release)]), chart_rows=2)
    quarter_series = [s["key"] for s in now_release.cells["series"]
                      if s["key"] != layout.QUARTER_TOTAL]
    report.sections = [_section(key, headers, [now_release, before], {})
                       for key in quarter_series]  # the earlier design's area per quarter
    report.old_design = is_old(now_release) or is_old(before)
    report.year = report_year(quarter, first, now)
    if report.year:
        yearly = release.get_or_draw(organisation_id, release.YEAR, report.year, now)
        report.epsilon_year = budget.YEAR_EPSILON if is_old(yearly) else yearly.epsilon
        report.old_design = report.old_design or is_old(yearly)
        report.year_sections = [
            _section(series["key"], [report.year], [yearly], yearly.cells["labels"],
                     _("%(breakdown)s, year %(year)s",
                       breakdown=layout.TITLES[series["key"]], year=report.year))
            for series in yearly.cells["series"]
        ]
        if not is_old(yearly):
            report.withheld = withheld_breakdowns(yearly.cells.get("size_class", "tiny"))
    return report


def latest(organisation_id: int, now=None) -> Report:
    """The newest published quarter's report (what a requester is shown)."""
    choices = quarter_choices(organisation_id, now)
    return build(organisation_id, choices[0] if choices else None, now)


def csv_rows(report: Report) -> list[list[str]]:
    """Exactly the page's cells, row by row (never the sample report's)."""
    if not report.published:
        return [[_("No quarter of your contract has ended yet.")]]
    header = [_("Breakdown"), _("Category")]
    for period in (report.quarter, report.year_ago):
        header += [period, _("90 %% range, %(period)s", period=period)]
    rows = [header]
    for section in [report.summary] + report.sections + report.year_sections:
        rows += [[section.title, row.label, *row.texts] for row in section.rows]
    return rows
