"""A counsellor's own calendars: the private ICS link the portal reads busy times from, the busy
intervals read from it, and the digest of the secret feed link of the counsellor's appointments.

The busy intervals hold times only (no summary, no location): they block booking slots. The
source link is a secret of the counsellor's calendar account and is stored encrypted; the feed
link's token is never stored, only its keyed digest (``eap.security.lookup``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.requests.models import public_id
from eap.security.crypto import EncryptedText


class StaffCalendar(db.Model):
    __tablename__ = "staff_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), unique=True
    )
    # The counsellor's private ICS / free-busy export link (https only), encrypted at rest.
    source_url: Mapped[str | None] = mapped_column(EncryptedText)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last successful fetch
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last failed fetch
    failure: Mapped[str | None] = mapped_column(String(200))  # its short reason, for the page
    # The secret feed link of the counsellor's own appointments: its keyed digest only.
    feed_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    feed_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BusyInterval(db.Model):
    """A time the counsellor's own calendar says they are busy (times only)."""

    __tablename__ = "busy_intervals"
    __table_args__ = (Index("ix_busy_intervals_staff_starts", "staff_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
