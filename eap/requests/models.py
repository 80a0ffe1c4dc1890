"""Requester accounts, help requests (cases), their messages and the anonymous usage counters.

Nothing here names a person. Public ids in URLs are random; case keys and recovery codes are
stored only as keyed digests; every free text and contact detail is encrypted at rest.
``UsageCounter`` rows have no link to a case or an account, so reports survive erasure.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.extensions import db
from eap.models import TimestampMixin, UTCDateTime, utcnow
from eap.security.crypto import EncryptedText


def public_id() -> str:
    """A random, non-sequential identifier for URLs (~128 bits)."""
    return secrets.token_urlsafe(16)


class RequesterAccount(TimestampMixin, db.Model):
    __tablename__ = "requester_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    # Keyed digests (eap.security.lookup): a database dump alone cannot test guesses.
    case_key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    recovery_digest: Mapped[str] = mapped_column(String(64), unique=True)
    passphrase_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Which poster code was used: for per-site statistics only.
    access_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("access_codes.id", ondelete="SET NULL")
    )
    requester_type: Mapped[str] = mapped_column(String(20))
    # The quarter in which this account was last counted in the employer report's
    # counters (eap.requests.counters): at most one request per account and calendar year is
    # counted there (issue 27), which bounds what one person can change in a differentially
    # private release; the requester's privacy receipt reads it.
    counted_quarter: Mapped[str | None] = mapped_column(String(6))
    # The same for "extra sessions requested": the last quarter in which this account's request
    # for more sessions was counted (at most once per account and calendar year).
    extra_counted_quarter: Mapped[str | None] = mapped_column(String(6))
    notification_email: Mapped[str | None] = mapped_column(EncryptedText)
    # Day granularity only: enough for retention, no usage pattern.
    last_seen_on: Mapped[date] = mapped_column(Date, default=lambda: utcnow().date(), index=True)
    # Part of every sign-in cookie; raised on sign-out, recovery and erasure, so that every copy
    # of an older cookie opens nothing (DESIGN.md §3.8).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    requests: Mapped[list[HelpRequest]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )


class HelpRequest(TimestampMixin, db.Model):
    """A request for help; for iGuS staff it is the case."""

    __tablename__ = "help_requests"
    __table_args__ = (
        Index("ix_help_requests_status_due", "status", "response_due_at"),
        Index("ix_help_requests_assignee_status", "assigned_staff_id", "status"),
        Index("ix_help_requests_priority_due", "priority", "response_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("requester_accounts.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The form's one-time nonce: a second submit of the same form finds this request.
    submission_id: Mapped[str] = mapped_column(String(64), unique=True)
    area: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(30))
    for_whom: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(10))
    acute_danger: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer)
    preferred_contact: Mapped[str] = mapped_column(String(20))
    callback_number: Mapped[str | None] = mapped_column(EncryptedText)
    callback_window: Mapped[str | None] = mapped_column(EncryptedText)
    language: Mapped[str] = mapped_column(String(5))
    description: Mapped[str] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(20), default="new")
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    # Optimistic locking: SQLAlchemy adds "AND version = :seen" to every UPDATE.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[RequesterAccount] = relationship(back_populates="requests")
    messages: Mapped[list[Message]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="Message.created_at",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


class Message(db.Model):
    __tablename__ = "request_messages"
    __table_args__ = (Index("ix_request_messages_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(10))  # "requester" or "staff"
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(EncryptedText)
    # The reply form's one-time nonce (requester messages): a double click saves one message.
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the other side read it (the requester's "new message" indicator uses staff messages).
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[HelpRequest] = relationship(back_populates="messages")


class UsageCounter(db.Model):
    """How many requests per organisation, quarter and dimension value; nothing else."""

    __tablename__ = "usage_counters"
    __table_args__ = (
        UniqueConstraint("organisation_id", "quarter", "dimension", "value", name="one_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(6))  # e.g. "2026Q4"
    dimension: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)


# The admin figures read one dimension over a few quarters for every organisation at once.
Index("ix_usage_counters_dimension_quarter", UsageCounter.dimension, UsageCounter.quarter)


class ServiceCounter(db.Model):
    """How many requests, first responses, closings … per month; for iGuS staff only."""

    __tablename__ = "service_counters"
    __table_args__ = (
        UniqueConstraint("dimension", "month", "value", name="one_service_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # e.g. "2026-11" (Europe/Berlin)
    dimension: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)


class CaseEvent(db.Model):
    """Who changed what on a case and when; values are codes, the reason is encrypted."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_version", "case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str] = mapped_column(String(40), default="")
    new_value: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    # The case version this change produced: "what changed since version n" for stale forms.
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("StaffUser")  # eap.staff.models
