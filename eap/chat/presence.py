"""Who is open for chats: ad hoc ("available for chat now", until a time) or during one's
availability hours; each with a maximum of parallel chats. THE test of "chat reachable now".

Nothing here names anyone to requesters: ``chat_available_now`` is a yes or no.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eap.chat.models import ACTIVE, Chat, ChatPresence
from eap.counselling.appointment_models import AvailabilityException, AvailabilityRule
from eap.extensions import db
from eap.models import utcnow
from eap.requests.deadlines import BERLIN
from eap.staff.models import StaffUser

CHAT_ROLES = ("counsellor", "triage")


def _open_by_availability(moment: datetime):
    """SQL: the presence row is open now through the counsellor's availability hours."""
    local = moment.astimezone(BERLIN)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    off = sa.exists().where(
        AvailabilityException.staff_id == ChatPresence.staff_id,
        AvailabilityException.day == day, AvailabilityException.available.is_(False),
        sa.or_(AvailabilityException.starts.is_(None),
               sa.and_(AvailabilityException.starts <= clock,
                       AvailabilityException.ends > clock)),
    )
    extra = sa.exists().where(
        AvailabilityException.staff_id == ChatPresence.staff_id,
        AvailabilityException.day == day, AvailabilityException.available.is_(True),
        AvailabilityException.starts <= clock, AvailabilityException.ends > clock,
    )
    weekly = sa.exists().where(
        AvailabilityRule.staff_id == ChatPresence.staff_id,
        AvailabilityRule.weekday == local.weekday(),
        AvailabilityRule.starts <= clock, AvailabilityRule.ends > clock,
    )
    return sa.and_(ChatPresence.with_availability.is_(True), sa.or_(extra, sa.and_(weekly, ~off)))


def open_now(moment: datetime | None = None):
    """SQL condition on ``ChatPresence`` (joined to its staff member): open for chats now."""
    moment = moment or utcnow()
    return sa.and_(
        StaffUser.id == ChatPresence.staff_id, StaffUser.active.is_(True),
        sa.or_(ChatPresence.until > moment, _open_by_availability(moment)),
    )


def chat_available_now(moment: datetime | None = None) -> bool:
    """Is anyone open for chats at this moment? (Reachable-now and the chat's start.)"""
    return db.session.scalar(
        sa.select(sa.exists().where(open_now(moment)))
    )


def of(staff) -> ChatPresence | None:
    return db.session.get(ChatPresence, staff.id)


def is_open(staff, moment: datetime | None = None) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(
        ChatPresence.staff_id == staff.id, open_now(moment))))


def open_for(staff, hours: float | None, max_parallel: int, with_availability: bool) -> None:
    """Open for chats for ``hours`` from now (None: only during availability hours)."""
    row = of(staff) or ChatPresence(staff_id=staff.id)
    row.until = utcnow() + timedelta(hours=hours) if hours else None
    row.with_availability = with_availability
    row.max_parallel = max_parallel
    db.session.add(row)


def close(staff) -> None:
    row = of(staff)
    if row is not None:
        row.until = None
        row.with_availability = False


def max_parallel(staff) -> int:
    row = of(staff)
    return row.max_parallel if row is not None else current_app.config["CHAT_MAX_PARALLEL"]


def active_count(staff) -> int:
    return db.session.scalar(sa.select(sa.func.count(Chat.id)).where(
        Chat.staff_id == staff.id, Chat.status == ACTIVE))
