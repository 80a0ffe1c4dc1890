"""The requester's appointment on their case: book, move, cancel, download the .ics file."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eap.counselling import allowance, appointment_staff, appointments, slots
from eap.extensions import db
from eap.requests import appointment_texts, cases
from eap.requests import session as requester
from eap.security.forms import ConfirmForm

bp = Blueprint("requests_appointments", __name__, url_prefix="/help/requests")


def _own_case(public_id: str):
    return cases.get_case_or_404(requester.current(), public_id)


def _page(case, status: int = 200, error: str | None = None, chosen: dict | None = None):
    bookable = appointments.may_book(case)
    free = slots.free_slots(case.assigned_staff_id) if bookable else []
    current = appointments.upcoming(case)
    return render_template(
        "requests/appointment.html", case=case, current=current, bookable=bookable,
        days=slots.by_day(free), modalities=appointments.modalities_for(case),
        labels=appointment_texts.MODALITIES, error=error, chosen=chosen or {},
        video_link=appointments.video_link(current) if current else None,
        sessions=allowance.summary(case), changed=appointment_staff.last_staff_change(case),
        changed_texts={"moved": str(appointment_texts.STAFF_MOVED),
                       "cancelled": str(appointment_texts.STAFF_CANCELLED)},
    ), status


@bp.get("/<public_id>/appointment")
@requester.requester_required()
def show(public_id: str):
    return _page(_own_case(public_id))


@bp.post("/<public_id>/appointment")
@requester.requester_required()
def book(public_id: str):
    case = _own_case(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = {"slot": request.form.get("slot", ""), "modality": request.form.get("modality", "")}
    if not chosen["slot"] or not chosen["modality"]:
        return _page(case, 400, _("Please choose a time and how you would like to meet."),
                     chosen)
    moving = appointments.upcoming(case) is not None
    try:
        appointments.book(case, slots.parse_key(chosen["slot"]), chosen["modality"])
    except appointments.SlotTaken:
        db.session.rollback()
        return _page(_own_case(public_id), 409,
                     _("Sorry, this time was just booked by someone else. Please choose another."))
    except appointments.NotBookable:
        db.session.rollback()
        return _page(_own_case(public_id), 400,
                     _("This appointment cannot be booked. Please choose another time."))
    flash(_("Your appointment was moved.") if moving else _("Your appointment is booked."),
          "success")
    return redirect(url_for("requests_appointments.show", public_id=public_id), 303)


@bp.post("/<public_id>/appointment/cancel")
@requester.requester_required()
def cancel(public_id: str):
    case = _own_case(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if appointments.cancel(case):
        flash(_("Your appointment is cancelled."), "success")
    return redirect(url_for("requests_appointments.show", public_id=public_id), 303)


@bp.get("/<public_id>/appointment.ics")
@requester.requester_required()
def calendar_file(public_id: str):
    case = _own_case(public_id)
    current = appointments.upcoming(case)
    if current is None:
        abort(404)
    body = appointments.ics(current, case.language)
    return body, 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'attachment; filename="appointment.ics"',
    }


@bp.post("/<public_id>/sessions/more")
@requester.requester_required()
def ask_for_more(public_id: str):
    """At the limit: ask for more sessions. Only an anonymous count reaches the employer."""
    case = _own_case(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if allowance.ask_for_more(case):
        flash(_("Your counsellor knows that you would like more sessions."), "success")
    return redirect(url_for("requests_appointments.show", public_id=public_id), 303)
