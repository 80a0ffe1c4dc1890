"""A live chat and its messages, and who is open for chats.

A chat belongs to an organisation (for the access rule and the yearly report row only) and to
either a requester account or a guest, whom only a keyed digest of a secret in their session
cookie identifies. Messages are encrypted at rest like case messages (``EncryptedText``, bound
to table, column and the message's public id). Once a chat is attached to a case it is part of
the case's thread, and it goes with the case (purge, erasure).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.requests.models import public_id
from eap.security.crypto import EncryptedText

WAITING, ACTIVE, ENDED = "waiting", "active", "ended"
REQUESTER, STAFF, NOTE = "requester", "staff", "note"  # a note is for staff only


class Chat(db.Model):
    __tablename__ = "chats"
    __table_args__ = (
        Index("ix_chats_status_acute_created", "status", "acute", "created_at"),
        Index("ix_chats_staff_status", "staff_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("requester_accounts.id", ondelete="CASCADE"), index=True
    )
    # A guest's chat: the keyed digest of the secret in the guest's session cookie.
    guest_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    acute: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(5))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the requester's page last asked (stream or reload): a waiter gone for minutes leaves
    # the queue. Ended chats drop it.
    requester_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking, as on cases: two counsellors taking one waiter, exactly one wins.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    messages: Mapped[list[ChatMessage]] = relationship(
        back_populates="chat", cascade="all, delete-orphan", order_by="ChatMessage.id",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_guest(self) -> bool:
        return self.account_id is None


class ChatMessage(db.Model):
    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_chat_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(10))  # requester, staff or note
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)
    # The form's one-time nonce: a double click or a retried post saves one message.
    submission_id: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    chat: Mapped[Chat] = relationship(back_populates="messages")


class ChatPresence(db.Model):
    """A counsellor open for chats: ad hoc until ``until``, or during their availability hours
    (``with_availability``); at most ``max_parallel`` chats at once."""

    __tablename__ = "chat_presence"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    with_availability: Mapped[bool] = mapped_column(Boolean, default=False)
    max_parallel: Mapped[int] = mapped_column(Integer, default=2)
