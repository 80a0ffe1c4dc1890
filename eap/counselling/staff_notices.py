"""THE content-free notices to iGuS staff: the acute-request notice and the daily digest.

* :func:`notify_acute` — a new acute-danger request (web form or phone intake) is announced at
  once to the on-duty triage address (``TRIAGE_DUTY_EMAIL``) and, if
  ``ACUTE_NOTICE_TO_TRIAGE_STAFF`` is on, to every active triage staff member; each address
  once. Call it after the commit, once per new case.
* :func:`send_digest` — the daily digest (``flask --app eap staff-digest``, cron on working
  days): the open cases still owed a first response whose deadline falls before the end of the
  next working day (paused clocks left out, eap.counselling.clocks), and today's booked
  appointments. The duty address gets everything; each staff member gets their own part.

No mail names a requester, organisation, topic or text: only times, urgency, the kind of
appointment, the counsellor and a link to sign in and look.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from eap import mail
from eap.counselling import clocks
from eap.counselling.appointment_forms import STAFF_MODALITIES
from eap.counselling.appointment_models import BOOKED, Appointment
from eap.counselling.display import PRIORITIES
from eap.counselling.models import CaseWork
from eap.employers.links import public_url
from eap.extensions import db
from eap.models import utcnow
from eap.requests import choices
from eap.requests.deadlines import BERLIN, DAY_END, is_working_day
from eap.requests.models import HelpRequest
from eap.staff.models import StaffUser

STAFF_LANGUAGE = "de"


def _duty_address() -> str:
    return current_app.config.get("TRIAGE_DUTY_EMAIL") or ""


def acute_recipients() -> list[str]:
    """The duty address and, if configured, the active triage staff; each address once."""
    addresses = [_duty_address()]
    if current_app.config.get("ACUTE_NOTICE_TO_TRIAGE_STAFF"):
        addresses += db.session.scalars(sa.select(StaffUser.email).where(
            StaffUser.active.is_(True), StaffUser.role == "triage").order_by(StaffUser.id))
    unique: dict[str, str] = {}
    for address in addresses:
        if address:
            unique.setdefault(address.strip().lower(), address.strip())
    return list(unique.values())


def notify_acute(case: HelpRequest) -> int:
    """Announce a new acute request, without content; returns the number of mails queued."""
    if not case.acute_danger:
        return 0
    with force_locale(STAFF_LANGUAGE):
        subject = _("A new acute request is waiting")
        body = _("A new request marked as acute danger is waiting in the triage inbox. "
                 "Please sign in and look at it now:") + "\n\n" + public_url(
                     "counselling.inbox_list", urgency="acute")
    recipients = acute_recipients()
    for address in recipients:
        mail.send_in_background(address, subject, body)
    return len(recipients)


def next_working_day_end(now: datetime) -> datetime:
    """18:00 (Berlin) of the first working day after today."""
    day: date = now.astimezone(BERLIN).date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, DAY_END, BERLIN)


def due_soon(now: datetime):
    """Open cases owed a first response, clock running, due before the next working day ends."""
    return db.session.execute(
        sa.select(HelpRequest.public_id, HelpRequest.priority, HelpRequest.response_due_at,
                  HelpRequest.assigned_staff_id)
        .outerjoin(CaseWork, CaseWork.case_id == HelpRequest.id)
        .where(HelpRequest.status.in_(choices.OPEN_STATUSES),
               CaseWork.first_response_at.is_(None), ~clocks.paused_now(),
               HelpRequest.response_due_at < next_working_day_end(now))
        .order_by(HelpRequest.response_due_at, HelpRequest.id)
    ).all()


def appointments_today(now: datetime):
    """Today's (Berlin) booked appointments that have not ended yet."""
    tomorrow = datetime.combine(now.astimezone(BERLIN).date() + timedelta(days=1),
                             datetime.min.time(), BERLIN)
    return db.session.execute(
        sa.select(Appointment.starts_at, Appointment.ends_at, Appointment.modality,
                  Appointment.staff_id, HelpRequest.public_id)
        .join(HelpRequest, HelpRequest.id == Appointment.case_id)
        .where(Appointment.status == BOOKED, Appointment.ends_at > now,
               Appointment.starts_at < tomorrow)
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()


def digest_text(cases, appointments, names: dict[int, str], now: datetime,
                with_names: bool) -> tuple[str, str]:
    """(subject, body) in the staff language; ``with_names``: say who holds each item."""
    def who(staff_id):
        return [names.get(staff_id) or _("not assigned")] if with_names else []

    with force_locale(STAFF_LANGUAGE):
        subject = _("EAP daily digest: %(cases)s deadlines by the next working day, "
                    "%(appointments)s appointments today",
                    cases=len(cases), appointments=len(appointments))
        lines = [_("Open cases whose response deadline falls before the end of the next "
                   "working day (overdue first; paused cases are left out):"), ""]
        for row in cases:
            due = row.response_due_at
            overdue = _("OVERDUE") + " " if due < now else ""
            lines.append(" · ".join([
                overdue + format_datetime(due, "short"), str(PRIORITIES.get(row.priority, "")),
                *who(row.assigned_staff_id),
                public_url("counselling.show", public_id=row.public_id)]))
        if not cases:
            lines.append(_("None."))
        lines += ["", _("Appointments today:"), ""]
        for row in appointments:
            lines.append(" · ".join([
                format_datetime(row.starts_at, "short") + "–"
                + format_datetime(row.ends_at, "HH:mm"),
                str(STAFF_MODALITIES.get(row.modality, row.modality)), *who(row.staff_id),
                public_url("counselling.show", public_id=row.public_id)]))
        if not appointments:
            lines.append(_("None."))
    return subject, "\n".join(lines)


def send_digest(now: datetime | None = None, to: str | None = None) -> tuple[int, int, int]:
    """Mail the digest: everything to the duty address (or ``to``), each active staff member
    their own cases and appointments. Returns (cases, appointments, mails sent)."""
    now = now or utcnow()
    cases, appointments = due_soon(now), appointments_today(now)
    members = db.session.scalars(sa.select(StaffUser).where(StaffUser.active.is_(True))).all()
    names = {member.id: member.name for member in members}
    sent = 0
    with current_app.test_request_context():
        address = to or _duty_address()
        if address and mail.send(address, *digest_text(cases, appointments, names, now, True)):
            sent += 1
        for member in members:
            own = [row for row in cases if row.assigned_staff_id == member.id]
            booked = [row for row in appointments if row.staff_id == member.id]
            if (own or booked) and mail.send(
                    member.email, *digest_text(own, booked, names, now, False)):
                sent += 1
    return len(cases), len(appointments), sent
