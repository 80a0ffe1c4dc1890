"""The employer's anonymised report (owner and manager): /hr/reports.

No organisation id in any URL: the report is always the signed-in user's organisation, and
every query parameter but ``quarter`` is ignored.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from eap.reports import charts, hr_report
from eap.reports.export import csv_response
from eap.security.access import hr_required

bp = Blueprint("reports", __name__, url_prefix="/hr/reports")


@bp.before_request
@hr_required("owner", "manager")
def owners_and_managers_only():
    """One guard for the whole blueprint: billing users never see usage."""
    return None


def _report() -> tuple[hr_report.Report, list[str]]:
    choices = hr_report.quarter_choices(current_user.organisation_id)
    wanted = request.args.get("quarter", "")
    quarter = wanted if wanted in choices else choices[0]
    return hr_report.build(current_user.organisation_id, quarter), choices


def _chart(report: hr_report.Report, section: hr_report.Section) -> charts.Chart:
    labels = [row.label for row in section.rows]
    return charts.bar_chart(
        f"chart-{section.key}", section.title, labels,
        [(report.quarter, [row.now_value for row in section.rows]),
         (report.year_ago, [row.before_value for row in section.rows])],
        texts=[[row.now for row in section.rows], [row.before for row in section.rows]],
    )


@bp.get("/")
def index():
    report, choices = _report()
    section_charts = {s.key: _chart(report, s) for s in report.sections}
    return render_template(
        "reports/hr.html", report=report, quarters=choices, charts=section_charts
    )


@bp.get("/export.csv")
def export():
    report, _choices = _report()
    filename = _("eap-report") + f"-{report.quarter}.csv"
    return csv_response(hr_report.csv_rows(report), filename)
