"""The counselling blueprint: every route under it is for signed-in iGuS staff."""

from flask import Blueprint

from eap.counselling import clocks, display
from eap.models import utcnow
from eap.security.access import staff_required

bp = Blueprint("counselling", __name__, url_prefix="/staff/cases")


@bp.before_request
@staff_required()
def staff_only():
    """One guard for the whole blueprint; finer role checks sit in the views and lookups."""
    return None


@bp.context_processor
def case_helpers() -> dict:
    return {"labels": display.labels(), "deadline_cell": display.deadline_cell, "now": utcnow(),
            "duration": display.duration, "clock_paused": clocks.is_paused}
