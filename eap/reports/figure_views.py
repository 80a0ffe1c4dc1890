"""Service figures for iGuS administrators: /staff/figures."""

from __future__ import annotations

from flask import Blueprint, render_template

from eap.reports import figures_page
from eap.reports.export import csv_response
from eap.security.access import staff_required

bp = Blueprint("reports_admin", __name__, url_prefix="/staff/figures")


@bp.before_request
@staff_required("admin")
def admins_only():
    return None


@bp.get("/")
def index():
    return render_template("reports/figures.html", tables=figures_page.tables())


@bp.get("/export.csv")
def export():
    return csv_response(figures_page.csv_rows(figures_page.tables()), "eap-figures.csv")
