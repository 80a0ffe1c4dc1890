"""The counsellors' own records about a case, kept beside ``help_requests`` (never in it).

Events hold codes only (status, priority, topic, assignee, …) and an encrypted reason; notes and
referral notes are encrypted; nothing here is ever shown to the requester.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.requests import choices
from eap.requests.models import HelpRequest
from eap.security.crypto import EncryptedText
from eap.staff.models import StaffUser

# The triage inbox: unassigned cases by priority, then deadline (keyset pagination on all four).
# SQLite's planner, which usually has no statistics, walks this one in order.
Index(
    "ix_help_requests_inbox",
    HelpRequest.assigned_staff_id,
    HelpRequest.priority,
    HelpRequest.response_due_at,
    HelpRequest.id,
)
# The same order over the unassigned *open* cases only. PostgreSQL's planner, misjudging how many
# rows "unassigned and open" leaves, otherwise reads them all and sorts; with this partial index
# the inbox reads just its page, however many cases are assigned or closed.
INBOX_CONDITION = (
    "assigned_staff_id IS NULL AND status IN ("
    + ", ".join(f"'{status}'" for status in choices.OPEN_STATUSES) + ")"
)
Index(
    "ix_help_requests_inbox_open",
    HelpRequest.priority,
    HelpRequest.response_due_at,
    HelpRequest.id,
    postgresql_where=text(INBOX_CONDITION),
    sqlite_where=text(INBOX_CONDITION),
)


def _case_fk() -> ForeignKey:
    return ForeignKey("help_requests.id", ondelete="CASCADE")


class CaseWork(db.Model):
    """One row per case that staff have worked on: first response, contacts, outcome."""

    __tablename__ = "case_work"

    case_id: Mapped[int] = mapped_column(_case_fk(), primary_key=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contacts_count: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(30))


class CaseNote(db.Model):
    """An internal note: staff only, never shown to the requester."""

    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(_case_fk())
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[StaffUser | None] = relationship()


class ReferralService(db.Model):
    """An external service cases can be referred to; the list is kept by administrators."""

    __tablename__ = "referral_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    details: Mapped[str] = mapped_column(String(400), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseReferral(db.Model):
    __tablename__ = "case_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(_case_fk(), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("referral_services.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[ReferralService] = relationship()
    staff: Mapped[StaffUser | None] = relationship()
