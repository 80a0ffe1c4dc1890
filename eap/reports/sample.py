"""The sample report (issue 27): invented numbers with the real design's ranges, shown to HR
before the first real report. Built from constants only — never from a counter or a stored
release, never stored, never in the CSV."""

from __future__ import annotations

from flask_babel import gettext as _

from eap.reports import budget, layout
from eap.reports.hr_report import Report, Row, Section, count_cell, per_seats, withheld_breakdowns

SAMPLE_SEATS = 1000
SAMPLE_FIRST_THIS_YEAR = (46, 41)  # invented: this quarter, a year earlier
SAMPLE_SO_FAR = (118, 104)
SAMPLE_YEAR = {  # invented yearly numbers of a 1,000-seat organisation (class "medium")
    "area": [27, 101, 44],
    "topic_group": [88, 33, 21, 19, 12],
    "requester_type": [139, 31],
}


def sample_report() -> Report:
    """A report made of invented numbers with the real design's intervals, marked as a sample.

    It is built here from constants, never from a counter or a stored release, is never
    stored, and is never in the CSV (``csv_rows`` answers with the notice instead).
    """
    quarter_width = budget.half_width(budget.quarter_scale())
    sum_width = budget.sum_half_width([budget.quarter_scale()] * 3)
    size = layout.size_class(SAMPLE_SEATS)
    year_width = budget.half_width(size.scale)
    headers = [_("Sample quarter"), _("A year earlier")]
    report = Report(_("Sample quarter"), _("A year earlier"), seats=SAMPLE_SEATS, sample=True,
                    epsilon_quarter=budget.QUARTER_EPSILON, epsilon_year=budget.YEAR_EPSILON)
    report.summary = Section("summary", _("All requests"), headers, [
        Row(_("People who asked for the first time this year"),
            [count_cell(v, quarter_width) for v in SAMPLE_FIRST_THIS_YEAR]),
        Row(_("People helped this year up to this quarter"),
            [count_cell(v, sum_width) for v in SAMPLE_SO_FAR]),
        Row(_("People helped this year per 100 seats"),
            [per_seats(v, [budget.quarter_scale()] * 3, SAMPLE_SEATS) for v in SAMPLE_SO_FAR]),
    ], width=quarter_width, chart_rows=2)
    report.year = _("sample year")
    for key, values in SAMPLE_YEAR.items():
        title = _("%(breakdown)s, year %(year)s", breakdown=layout.TITLES[key],
                  year=report.year)
        report.year_sections.append(Section(key, title, [report.year], [
            Row(layout.label_of(key, row, {}), [count_cell(value, year_width)])
            for row, value in zip(layout.FIXED_ROWS[key], values, strict=True)
        ], width=year_width))
    report.withheld = withheld_breakdowns(size.key)
    return report
