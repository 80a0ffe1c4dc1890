"""The session allowance: how many counselling sessions a person gets per request and year.

The package says how many (``sessions_per_issue``); counsellors record the sessions held; the
requester sees how many remain and, at the limit, may ask for more. That wish is kept on the
case for the counsellor (a case event) and counted for the employer only as an anonymous
number per organisation and quarter (``eap.requests.counters``), never with the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from eap.billing import contracts
from eap.counselling.appointment_models import CaseSession
from eap.extensions import db
from eap.models import utcnow
from eap.requests import counters
from eap.requests.deadlines import BERLIN
from eap.requests.models import CaseEvent, HelpRequest
from eap.security import audit

MORE_SESSIONS = "more_sessions"  # the case event of "ask for more"


@dataclass
class Allowance:
    limit: int
    used: int
    asked: bool  # asked for more this year already

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def _year_span(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)


def _today() -> date:
    return utcnow().astimezone(BERLIN).date()


def summary(case: HelpRequest, today: date | None = None) -> Allowance | None:
    """This year's allowance of the case, or None if no package names one."""
    contract = contracts.access_contract(case.organisation_id)
    if contract is None or not contract.package.sessions_per_issue:
        return None
    first, last = _year_span(today or _today())
    used = db.session.scalar(
        sa.select(sa.func.count(CaseSession.id)).where(
            CaseSession.case_id == case.id, CaseSession.held_on >= first,
            CaseSession.held_on <= last,
        )
    )
    start = datetime.combine(first, datetime.min.time(), BERLIN)
    asked = db.session.scalar(
        sa.select(sa.func.count(CaseEvent.id)).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == MORE_SESSIONS,
            CaseEvent.created_at >= start,
        )
    )
    return Allowance(contract.package.sessions_per_issue, used or 0, bool(asked))


def record_session(case: HelpRequest, actor, held_on: date, modality: str) -> CaseSession:
    """A counsellor records a session held on the case."""
    session_row = CaseSession(case_id=case.id, staff_id=actor.id, held_on=held_on,
                              modality=modality)
    db.session.add(session_row)
    db.session.flush()
    audit.record("case.session", "help_request", case.public_id, actor=actor)
    return session_row


def ask_for_more(case: HelpRequest) -> bool:
    """The requester at the limit asks for more sessions (once per case and year)."""
    allowance = summary(case)
    if allowance is None or allowance.remaining > 0 or allowance.asked or not case.is_open:
        return False
    db.session.add(CaseEvent(case_id=case.id, actor_id=None, kind=MORE_SESSIONS,
                             version=case.version))
    counters.record_extra_sessions_requested(case)
    db.session.flush()
    return True
