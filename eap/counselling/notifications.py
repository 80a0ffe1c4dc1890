"""E-mails to iGuS staff: an acute request is waiting (at once), and the daily deadline digest.

Both go to the on-duty triage address (``TRIAGE_DUTY_EMAIL``) and carry no case content: no
text, topic, organisation or contact detail, only that something waits and where to look.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from eap import mail
from eap.counselling.display import PRIORITIES, STAFF_STATUSES
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


def acute_request_waiting() -> None:
    """Tell the on-duty triage address that an acute request waits (call after the commit)."""
    address = _duty_address()
    if not address:
        return
    with force_locale(STAFF_LANGUAGE):
        subject = _("A new urgent request is waiting")
        body = _("A new request marked as acute danger is waiting in the triage inbox. "
                 "Please sign in and look at it now:") + "\n\n" + public_url(
                     "counselling.inbox_list", urgency="acute")
    mail.send_in_background(address, subject, body)


def next_working_day_end(now: datetime) -> datetime:
    """18:00 (Berlin) of the first working day after today."""
    day: date = now.astimezone(BERLIN).date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, DAY_END, BERLIN)


def due_soon(now: datetime | None = None):
    """Open cases whose response deadline falls before the end of the next working day."""
    now = now or utcnow()
    return db.session.execute(
        sa.select(HelpRequest.public_id, HelpRequest.priority, HelpRequest.status,
                  HelpRequest.response_due_at, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == HelpRequest.assigned_staff_id)
        .where(HelpRequest.status.in_(choices.OPEN_STATUSES),
               HelpRequest.response_due_at < next_working_day_end(now))
        .order_by(HelpRequest.response_due_at, HelpRequest.id)
    ).all()


def digest_text(rows, now: datetime) -> tuple[str, str]:
    """(subject, body) of the daily digest, in the staff language."""
    with force_locale(STAFF_LANGUAGE):
        subject = _("EAP deadlines: %(n)s open cases due by the next working day", n=len(rows))
        lines = [_("Open cases whose response deadline falls before the end of the next "
                   "working day (overdue first):"), ""]
        for row in rows:
            due = row.response_due_at
            overdue = _("OVERDUE") + " " if due < now else ""
            lines.append(" · ".join([
                overdue + format_datetime(due, "short"), str(PRIORITIES.get(row.priority, "")),
                str(STAFF_STATUSES.get(row.status, row.status)),
                row.name or _("not assigned"),
                public_url("counselling.show", public_id=row.public_id),
            ]))
        if not rows:
            lines.append(_("None."))
    return subject, "\n".join(lines)


def send_digest(now: datetime | None = None, to: str | None = None) -> int:
    """Mail the digest to the on-duty address (or ``to``); returns the number of cases."""
    now = now or utcnow()
    rows = due_soon(now)
    subject, body = digest_text(rows, now)
    address = to or _duty_address()
    if address:
        mail.send(address, subject, body)
    return len(rows)
