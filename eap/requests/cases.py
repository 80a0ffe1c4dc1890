"""Help requests: creating one (with its deadline and the anonymous counters), listing, closing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import IntegrityError

from eap.billing import contracts
from eap.extensions import db
from eap.models import utcnow
from eap.requests import choices, counters, signals
from eap.requests.deadlines import add_working_hours
from eap.requests.models import CaseEvent, HelpRequest, Message, RequesterAccount

DEFAULT_HOURS = 48  # only if no contract names a promise (cannot happen for a new request)


@dataclass
class RequestData:
    acute_danger: bool
    area: str
    topic: str
    for_whom: str
    urgency: str
    contact: str
    callback_number: str | None
    callback_window: str | None
    language: str
    description: str


def response_due(organisation_id: int, urgent: bool, start: datetime,
                 acute: bool = False) -> datetime:
    """The answer's deadline: the package's promise in NRW working hours; for acute danger the
    urgent promise counts every hour, nights and weekends too (the on-call rota answers)."""
    contract = contracts.access_contract(organisation_id)
    hours = DEFAULT_HOURS
    if contract is not None:
        package = contract.package
        hours = package.urgent_response_hours if urgent or acute else package.response_hours
    if acute:
        return start + timedelta(hours=hours)
    return add_working_hours(start, hours)


def priority_of(data: RequestData) -> int:
    if data.acute_danger:
        return choices.PRIORITY_TOP
    return choices.PRIORITY_HIGH if data.urgency == "soon" else choices.PRIORITY_NORMAL


def find_submitted(account: RequesterAccount, nonce: str) -> HelpRequest | None:
    return db.session.scalar(
        sa.select(HelpRequest).where(
            HelpRequest.account_id == account.id, HelpRequest.submission_id == nonce
        )
    )


def create_request(account: RequesterAccount, nonce: str, data: RequestData) -> HelpRequest:
    """Save the request once per form nonce; a second submit returns the first request."""
    existing = find_submitted(account, nonce)
    if existing is not None:
        return existing
    now = utcnow()
    phone = data.contact == "phone"
    case = HelpRequest(
        account_id=account.id,
        organisation_id=account.organisation_id,
        submission_id=nonce,
        area=data.area,
        topic=data.topic,
        for_whom=data.for_whom,
        urgency=data.urgency,
        acute_danger=data.acute_danger,
        priority=priority_of(data),
        preferred_contact=data.contact,
        callback_number=(data.callback_number or "").strip() or None if phone else None,
        callback_window=(data.callback_window or "").strip() or None if phone else None,
        language=data.language,
        description=data.description.strip(),
        response_due_at=response_due(
            account.organisation_id, data.urgency == "soon", now, acute=data.acute_danger
        ),
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(case)
    except IntegrityError:  # the same form, sent twice at the same moment
        first = find_submitted(account, nonce)
        if first is None:  # another constraint failed: never pretend the request was saved
            raise
        return first
    counters.record_request(case)  # eap.requests.counters owns every counter write
    if case.acute_danger:
        signals.acute_request_stored.send(case)  # the on-call rota (eap.oncall.subscriptions)
    return case


def requests_of(account: RequesterAccount) -> list[tuple[HelpRequest, int]]:
    """The account's requests, newest first, each with its number of unread staff messages."""
    unread = (
        sa.select(sa.func.count(Message.id))
        .where(Message.case_id == HelpRequest.id, Message.author == "staff",
               Message.read_at.is_(None))
        .correlate(HelpRequest)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(HelpRequest, unread)
        .where(HelpRequest.account_id == account.id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    )
    return [(case, count) for case, count in rows]


def get_case_or_404(account: RequesterAccount, public_id: str) -> HelpRequest:
    """The account's own request; anyone else's is "not found", exactly like a wrong id."""
    case = db.session.scalar(
        sa.select(HelpRequest).where(
            HelpRequest.public_id == public_id, HelpRequest.account_id == account.id
        )
    )
    if case is None:
        abort(404)
    return case


def close(case: HelpRequest) -> None:
    """The requester closes their own request: counted, and shown in the staff's case history."""
    if case.is_open:
        old_status = case.status
        case.status = "closed"
        case.closed_at = utcnow()
        db.session.flush()  # bumps the version, so a counsellor's open form sees the change
        db.session.add(
            CaseEvent(case_id=case.id, actor_id=None, kind="status", old_value=old_status,
                      new_value="closed", version=case.version)
        )
        counters.record_closed(case)
