"""Staff cancel or move a requester's appointment (e.g. when the counsellor is ill).

The counsellor of the case, triage and admins may do it, from the case page's appointments
panel or the staff day view. A move books the new slot through ``appointments.book`` — the same
``ON CONFLICT DO NOTHING`` insert on the partial unique index of booked slots — so a move into
a taken slot is refused and the old appointment stays. Both are audit-logged; after the commit
the requester gets the content-free "your appointment has changed" notice at their optional
notification address, and their appointment page says what happened.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_login import current_user

from eap import mail
from eap.counselling import appointments, lookup, slots
from eap.counselling.appointment_models import Appointment
from eap.counselling.appointment_views import bp
from eap.employers.links import public_url
from eap.extensions import db
from eap.models import utcnow
from eap.requests import appointment_texts as texts
from eap.requests.models import HelpRequest
from eap.security import audit

STAFF_CANCELLED = "staff_cancelled"
STAFF_MOVED = "staff_moved"
STAFF_CHANGES = (STAFF_CANCELLED, STAFF_MOVED)


def may_change(case: HelpRequest, staff) -> bool:
    """The case's counsellor, triage and admins (not a counsellor who only sees it as an
    earlier case of the same account)."""
    return staff.role in lookup.ALL_CASES_ROLES or case.assigned_staff_id == staff.id


def cancel(case: HelpRequest, actor, now: datetime | None = None) -> Appointment | None:
    """Cancel the case's upcoming appointment on the requester's behalf; None if there is none."""
    current = appointments.upcoming(case, now)
    if current is None:
        return None
    current.status = STAFF_CANCELLED
    audit.record("appointment.staff_cancel", "help_request", case.public_id, actor=actor)
    db.session.flush()
    return current


def move(case: HelpRequest, actor, start: datetime | None,
         now: datetime | None = None) -> Appointment:
    """Move the upcoming appointment to the free slot at ``start`` (same modality); raises
    ``appointments.NotBookable`` or ``appointments.SlotTaken`` (the old one then stays)."""
    current = appointments.upcoming(case, now)
    if current is None:
        raise appointments.NotBookable()
    new = appointments.book(case, start, current.modality, now)
    current.status = STAFF_MOVED
    audit.record("appointment.staff_move", "help_request", case.public_id, actor=actor)
    db.session.flush()
    return new


def notify_requester(case: HelpRequest) -> None:
    """The content-free notice (no time, no name, no topic); call after the commit."""
    address = case.account.notification_email
    if not address:
        return
    with force_locale(case.language):
        subject = str(texts.CHANGED_SUBJECT)
        body = str(texts.CHANGED_BODY) + "\n\n" + public_url("requests.sign_in")
    mail.send_in_background(address, subject, body)


def last_staff_change(case: HelpRequest, now: datetime | None = None) -> Appointment | None:
    """The case's most recent appointment change, if staff made it and its time is still ahead
    (what the requester's appointment page tells them)."""
    latest = db.session.scalar(
        sa.select(Appointment).where(Appointment.case_id == case.id, Appointment.status != "booked")
        .order_by(Appointment.id.desc()).limit(1))
    if latest is None or latest.status not in STAFF_CHANGES:
        return None
    return latest if latest.starts_at > (now or utcnow()) else None


@bp.app_template_global()
def staff_appointment_actions(case: HelpRequest) -> dict | None:
    """The case page's cancel and move controls, for those who may use them."""
    if not may_change(case, current_user):
        return None
    current = appointments.upcoming(case)
    if current is None:
        return None
    return {"current": current, "free": slots.free_slots(case.assigned_staff_id)}
