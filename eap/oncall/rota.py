"""The on-call rota as administrators keep it: add a window, list what is coming, delete one.

Windows are entered in Berlin time and stored in UTC. A window belongs to one active triage
staff member or counsellor; the same person's windows never overlap (other people's may).
Every change is audit-logged (who changed the rota, never more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from eap.extensions import db
from eap.models import utcnow
from eap.oncall.models import OnCallWindow
from eap.requests.deadlines import BERLIN
from eap.security import audit
from eap.staff.models import StaffUser

ON_CALL_ROLES = ("triage", "counsellor")


class RotaError(ValueError):
    """A rule of the rota was broken; ``field`` names the form field the message belongs to."""

    def __init__(self, message, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class WindowRow:
    """One row of the admin list, ready for the template (Berlin time)."""

    id: int
    name: str
    starts: datetime
    ends: datetime
    active: bool  # the window runs now


def eligible_staff() -> list[StaffUser]:
    """Who may be on call: active triage staff and counsellors, by name."""
    return list(db.session.scalars(
        sa.select(StaffUser).where(StaffUser.active.is_(True),
                                   StaffUser.role.in_(ON_CALL_ROLES))
        .order_by(StaffUser.name, StaffUser.id)))


def berlin(local: datetime) -> datetime:
    """A wall-clock time typed in Berlin time, as an aware moment."""
    return local.replace(tzinfo=BERLIN) if local.tzinfo is None else local


def add_window(staff_id: int | None, starts: datetime, ends: datetime, actor) -> OnCallWindow:
    """Add a window (``starts``/``ends`` in Berlin time when naive); raises ``RotaError``."""
    member = db.session.get(StaffUser, staff_id) if staff_id else None
    if member is None or not member.active or member.role not in ON_CALL_ROLES:
        raise RotaError(_l("Choose an active triage staff member or counsellor."), "staff_id")
    starts, ends = berlin(starts), berlin(ends)
    if ends <= starts:
        raise RotaError(_l("The end must be after the start."), "ends")
    overlapping = db.session.scalar(
        sa.select(sa.func.count()).select_from(OnCallWindow).where(
            OnCallWindow.staff_id == member.id, OnCallWindow.starts_at < ends,
            OnCallWindow.ends_at > starts))
    if overlapping:
        raise RotaError(_l("This person already has an on-call window in this time."), "starts")
    window = OnCallWindow(staff_id=member.id, starts_at=starts, ends_at=ends)
    db.session.add(window)
    db.session.flush()
    audit.record("oncall.window_added", "oncall_window", window.id, actor=actor)
    return window


def delete_window(window_id: int, actor) -> None:
    window = db.session.get(OnCallWindow, window_id)
    if window is None:
        abort(404)
    db.session.delete(window)
    db.session.flush()
    audit.record("oncall.window_deleted", "oncall_window", window_id, actor=actor)


def upcoming(now: datetime | None = None) -> list[WindowRow]:
    """The windows that have not ended yet, soonest first."""
    now = now or utcnow()
    windows = db.session.scalars(
        sa.select(OnCallWindow).where(OnCallWindow.ends_at > now)
        .order_by(OnCallWindow.starts_at, OnCallWindow.id)).all()
    return [WindowRow(id=w.id, name=w.staff.name, starts=w.starts_at.astimezone(BERLIN),
                      ends=w.ends_at.astimezone(BERLIN), active=w.starts_at <= now)
            for w in windows]


def active_windows(moment: datetime) -> list[OnCallWindow]:
    """The windows running at ``moment`` whose staff member is still active."""
    return list(db.session.scalars(
        sa.select(OnCallWindow).join(StaffUser, StaffUser.id == OnCallWindow.staff_id)
        .where(OnCallWindow.starts_at <= moment, OnCallWindow.ends_at > moment,
               StaffUser.active.is_(True))
        .order_by(OnCallWindow.id)))


def on_call_now(moment: datetime) -> bool:
    """Whether someone is on call at ``moment`` (never who, never how many)."""
    return db.session.scalar(
        sa.select(sa.exists().where(
            OnCallWindow.staff_id == StaffUser.id, OnCallWindow.starts_at <= moment,
            OnCallWindow.ends_at > moment, StaffUser.active.is_(True)))) or False


def purge_old(moment: datetime | None = None, keep_days: int = 90) -> int:
    """Windows that ended more than ``keep_days`` ago go, with their notices: a notice row
    names the request or chat it was about, and once the window is over it guards nothing."""
    from datetime import timedelta

    from eap.oncall.models import OnCallNotice

    cutoff = (moment or utcnow()) - timedelta(days=keep_days)
    old = sa.select(OnCallWindow.id).where(OnCallWindow.ends_at < cutoff)
    db.session.execute(sa.delete(OnCallNotice).where(OnCallNotice.window_id.in_(old)))
    return db.session.execute(sa.delete(OnCallWindow).where(OnCallWindow.ends_at < cutoff)
                              .execution_options(synchronize_session=False)).rowcount
