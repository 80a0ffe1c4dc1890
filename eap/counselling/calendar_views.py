"""The counsellor's own calendars: the link busy times are read from (availability page), the
secret feed link of their appointments, and the feed itself (``/calendar/<token>.ics``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.counselling import calendars
from eap.counselling.appointment_forms import CalendarLinkForm
from eap.counselling.appointment_views import _availability_page
from eap.counselling.appointment_views import bp as staff_bp
from eap.security.forms import ConfirmForm

bp = Blueprint("calendar_feed", __name__, url_prefix="/calendar")


@staff_bp.post("/availability/calendar")
def set_calendar():
    form = CalendarLinkForm(prefix="calendar")
    if not form.validate_on_submit():
        return _availability_page(calendar_form=form, status=400)
    calendars.set_source(current_user.id, form.url.data)
    flash(_("Saved. Your busy times are read from this calendar within the hour."), "success")
    return redirect(url_for("appointments_staff.availability") + "#calendar-title", 303)


@staff_bp.post("/availability/calendar/remove")
def remove_calendar():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    calendars.remove_source(current_user.id)
    flash(_("Removed."), "success")
    return redirect(url_for("appointments_staff.availability") + "#calendar-title", 303)


@staff_bp.post("/availability/feed")
def new_feed():
    """A new secret feed link, shown on this page only (the previous link stops working)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = calendars.new_feed_token(current_user.id)
    return _availability_page(feed_token=token)


@bp.get("/<token>.ics")
def feed(token: str):
    """No sign-in: the unguessable token is the key. A revoked or unknown one is 404."""
    staff_id = calendars.feed_owner(token)
    if staff_id is None:
        abort(404)
    return calendars.feed_ics(staff_id), 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Disposition": 'inline; filename="appointments.ics"',
    }
