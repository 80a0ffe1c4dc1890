"""Staff pages of the appointments feature: my day, my availability, sessions held on a case."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.counselling import allowance, appointments, calendars, continuity, lookup, slots, video
from eap.counselling.appointment_forms import (
    STAFF_MODALITIES,
    WEEKDAYS,
    CalendarLinkForm,
    ExceptionForm,
    RuleForm,
    SessionForm,
)
from eap.counselling.appointment_models import AvailabilityException, AvailabilityRule
from eap.extensions import db
from eap.models import utcnow
from eap.requests.deadlines import BERLIN
from eap.security.access import staff_required
from eap.security.forms import ConfirmForm

bp = Blueprint("appointments_staff", __name__, url_prefix="/staff/appointments")


@bp.before_request
@staff_required()
def staff_only():
    return None


def _today() -> date:
    return utcnow().astimezone(BERLIN).date()


@bp.get("/")
def day():
    """The signed-in staff member's appointments of one day (today unless ``?day=``)."""
    try:
        shown = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        shown = _today()
    rows = [
        (appointment, public_id, appointments.video_link(appointment, moderator=True))
        for appointment, public_id in appointments.staff_day(current_user.id, shown)
    ]
    return render_template(
        "counselling/day.html", day=shown, rows=rows, modalities=STAFF_MODALITIES,
        previous=shown - timedelta(days=1), following=shown + timedelta(days=1),
        holiday=slots.is_holiday(shown),
    )


def _availability_page(rule_form=None, exception_form=None, status: int = 200,
                       calendar_form=None, feed_token: str | None = None):
    mine = current_user.id
    calendar = calendars.calendar_of(mine)
    return render_template(
        "counselling/availability.html",
        calendar=calendar, calendar_form=calendar_form or CalendarLinkForm(
            formdata=None, prefix="calendar"),
        failure=calendars.reason_text(calendar.failure) if calendar else "",
        feed_url=url_for("calendar_feed.feed", token=feed_token, _external=True)
        if feed_token else None,
        rules=db.session.scalars(
            sa.select(AvailabilityRule).where(AvailabilityRule.staff_id == mine)
            .order_by(AvailabilityRule.weekday, AvailabilityRule.starts)
        ).all(),
        exceptions=db.session.scalars(
            sa.select(AvailabilityException).where(
                AvailabilityException.staff_id == mine, AvailabilityException.day >= _today()
            ).order_by(AvailabilityException.day)
        ).all(),
        weekdays=WEEKDAYS,
        rule_form=rule_form or RuleForm(formdata=None, prefix="rule"),
        exception_form=exception_form or ExceptionForm(formdata=None, prefix="exception"),
    ), status


@bp.get("/availability")
def availability():
    return _availability_page()


@bp.post("/availability/rules")
def add_rule():
    form = RuleForm(prefix="rule")
    if not form.validate_on_submit():
        return _availability_page(rule_form=form, status=400)
    db.session.add(AvailabilityRule(
        staff_id=current_user.id, weekday=form.weekday.data, starts=form.starts.data,
        ends=form.ends.data, slot_minutes=form.slot_minutes.data,
    ))
    flash(_("Saved."), "success")
    return redirect(url_for("appointments_staff.availability"), 303)


@bp.post("/availability/exceptions")
def add_exception():
    form = ExceptionForm(prefix="exception")
    if not form.validate_on_submit():
        return _availability_page(exception_form=form, status=400)
    db.session.add(AvailabilityException(
        staff_id=current_user.id, day=form.day.data, available=form.available.data == "extra",
        starts=form.starts.data, ends=form.ends.data,
    ))
    flash(_("Saved."), "success")
    return redirect(url_for("appointments_staff.availability"), 303)


@bp.post("/availability/remove")
def remove():
    """Remove one of the signed-in member's own rules or exceptions (``kind`` and ``id``)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    model = {"rule": AvailabilityRule, "exception": AvailabilityException}.get(
        request.form.get("kind", "")
    )
    try:
        row_id = int(request.form.get("id", ""))
    except ValueError:
        row_id = None
    if model is None or row_id is None:
        abort(400)
    row = db.session.get(model, row_id)
    if row is None or row.staff_id != current_user.id:
        abort(404)
    db.session.delete(row)
    flash(_("Removed."), "success")
    return redirect(url_for("appointments_staff.availability"), 303)


@bp.post("/case/<public_id>/session")
def record_session(public_id: str):
    """The counsellor records a session held (counted against the allowance)."""
    case = lookup.get_case_or_404(public_id)
    form = SessionForm(prefix="session")
    if form.validate_on_submit():
        allowance.record_session(case, current_user, form.held_on.data, form.modality.data)
        flash(_("Session recorded."), "success")
    else:
        flash(_("Please give the day and kind of the session."), "error")
    return redirect(url_for("counselling.show", public_id=public_id), 303)


def staff_video_link(appointment) -> str | None:
    """The staff side's room link: the moderator's for the appointment's counsellor. Where
    Jitsi tokens are configured, other staff (triage, admins) get no link: only the two
    participants can enter the room."""
    if appointment.staff_id == current_user.id:
        return appointments.video_link(appointment, moderator=True)
    if video.tokens_configured():
        return None
    return appointments.video_link(appointment)


@bp.app_template_global()
def appointment_panel(case) -> dict:
    """What the staff case page shows about appointments and sessions (``_appointments.html``)."""
    return {
        "appointments": appointments.of_case(case)[:10],
        "allowance": allowance.summary(case),
        "session_form": SessionForm(formdata=None, prefix="session", held_on=_today()),
        "modalities": STAFF_MODALITIES,
        "video_link": staff_video_link,
        # the account's other cases this staff member may open (continuity: no retelling)
        "earlier": [c for c in continuity.earlier_cases(case) if lookup.may_see(c, current_user)],
    }
