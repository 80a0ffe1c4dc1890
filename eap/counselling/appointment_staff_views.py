"""Staff cancel or move a requester's appointment (case page panel, day view)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap import transactions
from eap.counselling import appointments, lookup, slots
from eap.counselling.appointment_staff import cancel, may_change, move, notify_requester
from eap.counselling.appointment_views import bp
from eap.extensions import db
from eap.requests.models import HelpRequest
from eap.security.forms import ConfirmForm


def _changeable_case(public_id: str) -> HelpRequest:
    case = lookup.get_case_or_404(public_id)
    if not may_change(case, current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return case


def _back(public_id: str):
    if request.form.get("back") == "day":
        return redirect(url_for("appointments_staff.day", day=request.form.get("day", "")), 303)
    return redirect(url_for("counselling.show", public_id=public_id) + "#appointments-title", 303)


@bp.post("/case/<public_id>/cancel")
def staff_cancel(public_id: str):
    case = _changeable_case(public_id)
    if cancel(case, current_user) is None:
        flash(_("There is no upcoming appointment to cancel."), "error")
        return _back(public_id)
    transactions.after_commit(notify_requester, case)  # content-free, once committed
    flash(_("The appointment is cancelled. The requester has been notified."), "success")
    return _back(public_id)


@bp.post("/case/<public_id>/move")
def staff_move(public_id: str):
    case = _changeable_case(public_id)
    try:
        move(case, current_user, slots.parse_key(request.form.get("slot", "")))
    except appointments.SlotTaken:
        db.session.rollback()
        flash(_("This time is no longer free. Please choose another."), "error")
        return _back(public_id)
    except appointments.NotBookable:
        db.session.rollback()
        flash(_("The appointment cannot be moved to this time."), "error")
        return _back(public_id)
    transactions.after_commit(notify_requester, case)  # content-free, once committed
    flash(_("The appointment is moved. The requester has been notified."), "success")
    return _back(public_id)
