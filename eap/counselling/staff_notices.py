"""Content-free notices to staff: the daily deadline digest and the acute-request alert.

The mails name no case, topic or requester: only counts and a link to sign in. The digest is a
cron job (``flask --app eap send-deadline-digest``); the acute alert goes out right after an
acute request (or phone intake) is committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eap import mail
from eap.counselling.models import CaseWork
from eap.employers.links import public_url
from eap.extensions import db
from eap.models import utcnow
from eap.requests import choices
from eap.requests.models import HelpRequest
from eap.staff.models import StaffUser

SOON = timedelta(hours=24)
ALL_CASES_ROLES = ("triage", "admin")


def _pending(now: datetime):
    """(assignee id, due soon, overdue) of open cases still owed a first response (not waiting:
    their clock is paused)."""
    soon = sa.func.sum(sa.case((HelpRequest.response_due_at >= now, 1), else_=0))
    overdue = sa.func.sum(sa.case((HelpRequest.response_due_at < now, 1), else_=0))
    return db.session.execute(
        sa.select(HelpRequest.assigned_staff_id, soon, overdue)
        .outerjoin(CaseWork, CaseWork.case_id == HelpRequest.id)
        .where(HelpRequest.status.in_(("new", "triaged", "in_progress")),
               CaseWork.first_response_at.is_(None),
               HelpRequest.response_due_at < now + SOON)
        .group_by(HelpRequest.assigned_staff_id)
    ).all()


def deadline_digest(now: datetime | None = None) -> int:
    """Mail each staff member their counts of deadlines due within a day or passed; triage and
    admins also get the unassigned ones. Returns how many mails went out."""
    now = now or utcnow()
    counts = {staff_id: (soon or 0, overdue or 0) for staff_id, soon, overdue in _pending(now)}
    unassigned = counts.pop(None, (0, 0))
    sent = 0
    members = db.session.scalars(sa.select(StaffUser).where(StaffUser.active.is_(True)))
    for member in members:
        soon, overdue = counts.get(member.id, (0, 0))
        if member.role in ALL_CASES_ROLES:
            soon, overdue = soon + unassigned[0], overdue + unassigned[1]
        if not soon and not overdue:
            continue
        with current_app.test_request_context(), force_locale("de"):
            subject = _("Response deadlines: %(soon)s due within a day, %(overdue)s passed",
                        soon=soon, overdue=overdue)
            body = _("Please sign in to see the cases:") + "\n\n" + public_url(
                "counselling.inbox_list" if member.role in ALL_CASES_ROLES
                else "counselling.my_cases")
        if mail.send(member.email, subject, body):
            sent += 1
    return sent


def notify_acute(case: HelpRequest) -> None:
    """Alert triage at once about a new acute request; no content. Call after the commit."""
    if not case.acute_danger or case.priority != choices.PRIORITY_TOP:
        return
    addresses = db.session.scalars(sa.select(StaffUser.email).where(
        StaffUser.active.is_(True), StaffUser.role == "triage")).all()
    with force_locale("de"):
        subject = _("A new acute request is waiting")
        body = _("Please sign in and look at the triage inbox now:") + "\n\n" + public_url(
            "counselling.inbox_list")
    for address in addresses:
        mail.send_in_background(address, subject, body)
