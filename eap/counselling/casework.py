"""Changes to a case: status workflow, triage fields, replies, notes, contacts, referrals, closing.

Every change is guarded by the case's version (optimistic locking): a form carries the version it
was shown with; if the case moved on meanwhile, :class:`CaseChanged` is raised and nothing is
saved. Each change writes a ``CaseEvent`` (codes only) and an audit entry.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from eap.counselling.models import CaseNote, CaseReferral, CaseWork
from eap.extensions import db
from eap.models import utcnow
from eap.requests import cases as requests_cases
from eap.requests import choices, counters, messages
from eap.requests.models import CaseEvent, HelpRequest, Message
from eap.security import audit

OPEN_TARGETS = ("triaged", "in_progress", "waiting")


class CaseChanged(Exception):
    """The case changed since the form was shown; nothing was saved."""


class NotAllowed(ValueError):
    """A change the workflow does not allow (e.g. replying to a closed case)."""


def work_of(case: HelpRequest) -> CaseWork:
    work = db.session.get(CaseWork, case.id)
    if work is None:
        work = CaseWork(case_id=case.id, contacts_count=0)
        db.session.add(work)
    return work


class ChangeLog(list):
    def add(self, kind: str, old="", new="", reason: str | None = None) -> None:
        self.append((kind, "" if old is None else str(old), "" if new is None else str(new),
                     (reason or "").strip() or None))


@contextmanager
def changing(case: HelpRequest, seen_version: int | None, actor):
    """Apply changes to ``case`` only if nobody else changed it since ``seen_version``."""
    if seen_version is None or case.version != seen_version:
        raise CaseChanged()
    log = ChangeLog()
    try:
        yield log
        flag_modified(case, "status")  # always bump the version: appends count as changes too
        db.session.flush()
    except StaleDataError as exc:  # someone committed between our read and our write
        raise CaseChanged() from exc
    for kind, old, new, reason in log:
        db.session.add(CaseEvent(
            case_id=case.id, actor_id=actor.id, kind=kind, old_value=old, new_value=new,
            reason=reason, version=case.version,
        ))
        audit.record(f"case.{kind}", "help_request", case.public_id, actor=actor)
    db.session.flush()


def set_status(case, actor, seen, status: str, reason: str | None = None) -> None:
    if not case.is_open or status not in OPEN_TARGETS or status == case.status:
        raise NotAllowed(status)
    with changing(case, seen, actor) as log:
        log.add("status", case.status, status, reason)
        case.status = status


def set_triage(case, actor, seen, priority: int, topic: str, reason: str) -> None:
    """Priority and topic, each with the reason; more urgent also means an earlier deadline."""
    with changing(case, seen, actor) as log:
        if topic != case.topic:
            log.add("topic", case.topic, topic, reason)
            case.topic = topic
        if priority != case.priority:
            log.add("priority", case.priority, priority, reason)
            if priority < case.priority and priority <= choices.PRIORITY_HIGH:
                urgent_due = requests_cases.response_due(
                    case.organisation_id, True, case.created_at
                )
                if urgent_due < case.response_due_at:
                    log.add("deadline")
                    case.response_due_at = urgent_due
            case.priority = priority


def reply(case, actor, seen, body: str, wait: bool, now: datetime | None = None) -> Message:
    """A message to the requester; the first one is the case's first response."""
    if not case.is_open:
        raise NotAllowed("closed")
    now = now or utcnow()
    with changing(case, seen, actor) as log:
        work = work_of(case)
        first = work.first_response_at is None
        if first:
            work.first_response_at = now
        target = "waiting" if wait else ("in_progress" if case.status != "waiting" else None)
        if target and target != case.status:
            log.add("status", case.status, target)
            case.status = target
        message = messages.add_staff_message(case, actor.id, body)
        log.add("message")
    if first:
        counters.record_first_response(case, on_time=now <= case.response_due_at)
    return message


def add_note(case, actor, seen, body: str) -> CaseNote:
    with changing(case, seen, actor) as log:
        note = CaseNote(case_id=case.id, staff_id=actor.id, body=body.strip())
        db.session.add(note)
        log.add("note")
    return note


def count_contact(case, actor, seen, kind: str) -> None:
    with changing(case, seen, actor) as log:
        work = work_of(case)
        work.contacts_count = (work.contacts_count or 0) + 1
        log.add("contact", "", kind)


def refer(case, actor, seen, service_id: int, note: str | None) -> CaseReferral:
    with changing(case, seen, actor) as log:
        referral = CaseReferral(
            case_id=case.id, service_id=service_id, staff_id=actor.id,
            note=(note or "").strip() or None,
        )
        db.session.add(referral)
        log.add("referral", "", service_id)
    return referral


def close(case, actor, seen, outcome: str, reason: str | None = None) -> None:
    if not case.is_open:
        raise NotAllowed("closed")
    with changing(case, seen, actor) as log:
        work = work_of(case)
        log.add("status", case.status, "closed", reason)
        log.add("outcome", work.outcome, outcome)
        work.outcome = outcome
        case.status = "closed"
        case.closed_at = utcnow()
    counters.record_closed(case)


def reopen(case, actor, seen, reason: str) -> None:
    if case.is_open:
        raise NotAllowed("open")
    with changing(case, seen, actor) as log:
        log.add("status", "closed", "in_progress", reason)
        case.status = "in_progress"
        case.closed_at = None


def changes_since(case: HelpRequest, seen_version: int | None, seen_at: datetime | None):
    """What happened after the form was shown: (events, new requester messages)."""
    events = db.session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.version > (seen_version or 0))
        .order_by(CaseEvent.id)
    ).all()
    new_messages = 0
    if seen_at is not None:
        new_messages = db.session.scalar(
            sa.select(sa.func.count(Message.id)).where(
                Message.case_id == case.id, Message.author == "requester",
                Message.created_at > seen_at,
            )
        )
    return events, new_messages
