"""Appointments, the counsellors' availability and the sessions held on a case.

An appointment holds a time, a modality and its case; nothing the requester wrote. The partial
unique index ``uq_appointments_staff_slot`` makes it impossible to book one counsellor's slot
twice: of all *booked* appointments, only one may start at a given moment for a counsellor.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Time, text
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.requests.models import public_id

BOOKED = "booked"
SLOT_CONDITION = "status = 'booked'"


def _staff_fk() -> ForeignKey:
    return ForeignKey("staff_users.id", ondelete="CASCADE")


class AvailabilityRule(db.Model):
    """A weekly pattern: on ``weekday`` (0 = Monday) from ``starts`` to ``ends``, Berlin time."""

    __tablename__ = "availability_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(_staff_fk(), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=60)


class AvailabilityException(db.Model):
    """A day that differs from the pattern: off (all day or ``starts``–``ends``) or extra hours."""

    __tablename__ = "availability_exceptions"
    __table_args__ = (Index("ix_availability_exceptions_staff_day", "staff_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(_staff_fk())
    day: Mapped[date] = mapped_column(Date)
    available: Mapped[bool] = mapped_column(Boolean, default=False)
    starts: Mapped[time | None] = mapped_column(Time)
    ends: Mapped[time | None] = mapped_column(Time)


def room_token() -> str:
    return secrets.token_urlsafe(18)


class Appointment(db.Model):
    __tablename__ = "appointments"
    __table_args__ = (
        Index(
            "uq_appointments_staff_slot", "staff_id", "starts_at", unique=True,
            postgresql_where=text(SLOT_CONDITION), sqlite_where=text(SLOT_CONDITION),
        ),
        Index("ix_appointments_staff_starts", "staff_id", "starts_at"),
        Index("ix_appointments_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(_staff_fk())
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    modality: Mapped[str] = mapped_column(String(20))
    # booked → cancelled, or → moved (a new appointment replaces it)
    status: Mapped[str] = mapped_column(String(20), default=BOOKED)
    # The video room's name: random, so the room link reveals nothing and cannot be guessed.
    room: Mapped[str] = mapped_column(String(32), default=room_token)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseSession(db.Model):
    """A counselling session held on a case (counted against the package's allowance)."""

    __tablename__ = "case_sessions"
    __table_args__ = (Index("ix_case_sessions_case_held", "case_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    held_on: Mapped[date] = mapped_column(Date)
    modality: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
