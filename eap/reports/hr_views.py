"""The employer's anonymised report (owner and manager): /hr/reports.

No organisation id in any URL: the report is always the signed-in user's organisation, and
every query parameter but ``quarter`` is ignored. The first view of an ended quarter draws its
stored release (if the close-quarter command has not), so the view commits.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from eap.reports import hr_report
from eap.reports import sample as sample_report
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
    quarter = wanted if wanted in choices else (choices[0] if choices else None)
    report = hr_report.build(current_user.organisation_id, quarter)
    return report, choices


@bp.get("/")
def index():
    report, choices = _report()
    sample = None if report.published else sample_report.sample_report()
    return render_template("reports/hr.html", report=report, quarters=choices, sample=sample)


@bp.get("/export.csv")
def export():
    report, _choices = _report()
    filename = _("eap-report") + f"-{report.quarter or 'none'}.csv"
    return csv_response(hr_report.csv_rows(report), filename)
