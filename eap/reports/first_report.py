"""When an organisation's first report appears, and why — one sentence on the report page.

Reports count whole calendar quarters only; a quarter's layout is fixed before it begins and it
is shown only once it has ended. The first reported quarter is therefore the first one that
begins after the organisation's first contract; its report appears the day after it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint

from eap.billing import contracts
from eap.billing.models import Contract
from eap.extensions import db
from eap.models import utcnow
from eap.reports.periods import quarter_end, quarter_start, shift_quarter
from eap.requests.deadlines import BERLIN, quarter_of

bp = Blueprint("first_report", __name__)


@dataclass(frozen=True)
class FirstReport:
    quarter: str  # e.g. 2027Q1
    covers_from: datetime
    appears_on: datetime  # local (Berlin) midnight after the quarter


def first_report(organisation_id: int, now: datetime | None = None) -> FirstReport | None:
    """The first reported quarter, while its report is still to come; else None."""
    start = db.session.scalar(
        sa.select(sa.func.min(Contract.created_at)).where(
            Contract.organisation_id == organisation_id,
            contracts.has_started_sql())
    )
    now = now or utcnow()
    start = start or now
    quarter = shift_quarter(quarter_of(start), 1)
    appears = quarter_end(quarter)
    if now >= appears:
        return None
    return FirstReport(quarter, quarter_start(quarter).astimezone(BERLIN),
                       appears.astimezone(BERLIN))


@bp.app_template_global("first_report")
def first_report_global(organisation_id: int) -> FirstReport | None:
    return first_report(organisation_id)


@bp.app_template_global("report_site_rule")
def report_site_rule():
    """When the yearly report shows sites (for HR's access page, eap.reports.layout)."""
    from eap.reports import layout

    return layout.site_rule()
