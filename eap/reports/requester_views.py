"""The requester's page "What your employer sees" (reached from their own account pages)."""

from flask import Blueprint, render_template

from eap.reports import hr_report, receipt
from eap.requests import session as requester

# Named requests_* like every requester page (eap.i18n.is_requester_page: seven languages).
bp = Blueprint("requests_employer_report", __name__, url_prefix="/help/account")


@bp.get("/employer-report")
@requester.requester_required()
def employer_report():
    """What your employer sees: the newest published report of your own organisation, exactly
    as HR sees it (the same stored release and the same template partial), and the privacy
    receipt: whether this account was counted this year and what of the yearly ε that used."""
    account = requester.current()
    report = hr_report.latest(account.organisation_id)
    return render_template("requests/employer_report.html", report=report,
                           receipt=receipt.receipt(account))
