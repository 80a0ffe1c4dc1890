"""The on-call rota: windows per staff member, and the once-only notices sent during them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.staff.models import StaffUser


class OnCallWindow(db.Model):
    """One staff member is on call from ``starts_at`` until (not including) ``ends_at``."""

    __tablename__ = "oncall_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer, ForeignKey("staff_users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[StaffUser] = relationship(lazy="joined")
    notices: Mapped[list[OnCallNotice]] = relationship(
        back_populates="window", cascade="all, delete-orphan", passive_deletes=True)


class OnCallNotice(db.Model):
    """A content-free notice was sent to a window's staff member: once per window, kind and ref.

    ``kind`` is ``request`` (``ref``: the case's public id) or ``chat`` (the chat's public id).
    The unique constraint is the once-only rule, also for two processes at the same moment
    (eap.oncall.notify inserts or skips).
    """

    __tablename__ = "oncall_notices"
    __table_args__ = (UniqueConstraint("window_id", "kind", "ref", name="uq_oncall_notice_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("oncall_windows.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    ref: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    window: Mapped[OnCallWindow] = relationship(back_populates="notices")
