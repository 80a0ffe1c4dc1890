"""Clocks that pause: the response deadline stops while a case waits for the requester.

Whenever a case's status becomes ``waiting`` the pause starts; when it leaves ``waiting`` (the
requester answered, or staff moved it on) the deadline moves back by the working hours the pause
lasted, so the inbox, the staff's lists and the admin figures ("first response on time") count
only the time the case was really with iGuS. One attribute listener catches every change of
status, wherever it is made.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Float, ForeignKey, event
from sqlalchemy.orm import Mapped, mapped_column, object_session

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.requests.deadlines import BERLIN, DAY_END, DAY_START, add_working_hours, is_working_day
from eap.requests.models import HelpRequest

WAITING = "waiting"


class CaseClock(db.Model):
    """The pause state of a case's response clock (one row per case that ever waited)."""

    __tablename__ = "case_clocks"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_hours: Mapped[float] = mapped_column(Float, default=0.0)


def paused_now():
    """SQL, correlated with ``help_requests``: is the case's clock paused right now? THE test
    the inbox, the staff's lists, the case page and the daily digest use."""
    return sa.exists().where(CaseClock.case_id == HelpRequest.id,
                             CaseClock.paused_at.is_not(None))


def is_paused(case: HelpRequest) -> bool:
    if case.id is None:
        return False
    clock = db.session.get(CaseClock, case.id)
    return clock is not None and clock.paused_at is not None


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours (Mon–Fri 8–18, Berlin, not on NRW holidays) from ``start`` to ``end``."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(BERLIN), end.astimezone(BERLIN)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            opening = datetime.combine(day, DAY_START, BERLIN)
            closing = datetime.combine(day, DAY_END, BERLIN)
            begin, finish = max(opening, start), min(closing, end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def _clock(session, case: HelpRequest) -> CaseClock:
    with session.no_autoflush:
        clock = session.get(CaseClock, case.id) if case.id is not None else None
    if clock is None:
        clock = CaseClock(case_id=case.id, paused_hours=0.0)
        session.add(clock)
    return clock


def pause(case: HelpRequest, now: datetime | None = None) -> None:
    session = object_session(case)
    if session is None or case.id is None:
        return
    clock = _clock(session, case)
    if clock.paused_at is None:
        clock.paused_at = now or utcnow()


def resume(case: HelpRequest, now: datetime | None = None) -> float:
    """End the pause: the deadline moves by the paused working hours (returned)."""
    session = object_session(case)
    if session is None or case.id is None:
        return 0.0
    clock = _clock(session, case)
    if clock.paused_at is None:
        return 0.0
    hours = working_hours_between(clock.paused_at, now or utcnow())
    clock.paused_at = None
    clock.paused_hours = (clock.paused_hours or 0.0) + hours
    if hours and case.response_due_at is not None:
        case.response_due_at = add_working_hours(case.response_due_at, hours)
    return hours


@event.listens_for(HelpRequest.status, "set")
def _status_changed(case: HelpRequest, value, oldvalue, _initiator) -> None:
    if value == oldvalue or not isinstance(oldvalue, str):
        return
    if value == WAITING:
        pause(case)
    elif oldvalue == WAITING:
        resume(case)
