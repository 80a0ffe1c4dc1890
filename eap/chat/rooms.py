"""THE rules of a chat's life: start (signed in or guest), the waiting room and one's place in
it, messages, taking, handing over, ending, keeping or deleting a guest's chat, the purge.

Every change is flushed here and committed at the request boundary; the notice that wakes the
event streams (``broker.publish``) runs only after that commit (``transactions.after_commit``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from eap import transactions
from eap.chat import broker as notices
from eap.chat.models import ACTIVE, ENDED, NOTE, WAITING, Chat, ChatMessage
from eap.extensions import db
from eap.models import utcnow
from eap.oncall import notify as oncall_notify
from eap.security import audit
from eap.security.lookup import lookup_digest

MESSAGE_LIMIT = 4000
GUEST_ABANDONED = timedelta(hours=24)


class NotYours(Exception):
    """Too late: the chat is no longer waiting (someone else took it) or not this person's."""


class TooMany(Exception):
    """The counsellor already holds their maximum of parallel chats."""


class ChatEnded(Exception):
    """The chat has ended: nothing more can be written."""


def guest_digest(secret: str) -> str:
    return lookup_digest("chat-guest", secret)


def _announce(chat: Chat, desk: bool = False) -> None:
    broker = notices.broker
    channel = notices.chat_channel(chat.public_id)
    transactions.after_commit(lambda: broker().publish(channel))
    if desk:
        transactions.after_commit(lambda: broker().publish(notices.DESK))


def start(organisation_id: int, language: str, acute: bool, account=None,
          case=None) -> tuple[Chat, str | None]:
    """A new waiting chat; for a guest (no account) also the secret their cookie keeps."""
    secret = None if account is not None else secrets.token_urlsafe(24)
    chat = Chat(
        organisation_id=organisation_id, language=language, acute=acute,
        account_id=account.id if account is not None else None,
        case_id=case.id if case is not None else None,
        guest_digest=guest_digest(secret) if secret else None,
        requester_seen_at=utcnow(),
    )
    db.session.add(chat)
    db.session.flush()
    _announce(chat, desk=True)
    if acute:  # whoever is on call hears of it, content-free, once (after the commit)
        oncall_notify.acute_chat_waiting(chat.public_id)
    return chat, secret


def open_chat_of(account) -> Chat | None:
    """The account's chat that has not ended (one at a time)."""
    return db.session.scalar(sa.select(Chat).where(
        Chat.account_id == account.id, Chat.status != ENDED).order_by(Chat.id.desc()).limit(1))


def find(public_id: str) -> Chat | None:
    return db.session.scalar(sa.select(Chat).where(Chat.public_id == public_id))


def requester_may_see(chat: Chat, account, guest_secret: str | None) -> bool:
    if chat.account_id is not None:
        return account is not None and chat.account_id == account.id
    return bool(guest_secret) and secrets.compare_digest(
        chat.guest_digest or "", guest_digest(guest_secret))


def seen_by_requester(chat: Chat) -> None:
    """The requester's page asked: the waiter is still here (minute granularity is plenty)."""
    moment = utcnow()
    if chat.status != ENDED and (chat.requester_seen_at is None
                                 or moment - chat.requester_seen_at > timedelta(seconds=20)):
        db.session.execute(sa.update(Chat).where(Chat.id == chat.id)
                           .values(requester_seen_at=moment)
                           .execution_options(synchronize_session="fetch"))


def _present_after() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["CHAT_WAITER_GONE_SECONDS"])


def queue_order():
    return (Chat.acute.desc(), Chat.created_at, Chat.id)


def waiting_query():
    """SQL: the waiting room, as counsellors take from it (acute first, then longest wait)."""
    return (sa.select(Chat).where(Chat.status == WAITING,
                                  Chat.requester_seen_at > _present_after())
            .order_by(*queue_order()))


def place_of(chat: Chat) -> int:
    """The waiter's place in the queue (1 = next). Nobody learns how many wait behind them."""
    ahead = sa.or_(
        sa.and_(Chat.acute.is_(True), sa.literal(not chat.acute)),
        sa.and_(Chat.acute == chat.acute, sa.or_(
            Chat.created_at < chat.created_at,
            sa.and_(Chat.created_at == chat.created_at, Chat.id < chat.id))),
    )
    return 1 + db.session.scalar(sa.select(sa.func.count(Chat.id)).where(
        Chat.status == WAITING, Chat.requester_seen_at > _present_after(), ahead))


def post(chat: Chat, author: str, body: str, nonce: str, staff=None) -> ChatMessage:
    """Save a message once per form nonce (a retried post returns the first)."""
    if chat.status == ENDED:
        raise ChatEnded()
    body = body.strip()[:MESSAGE_LIMIT]
    existing = db.session.scalar(sa.select(ChatMessage).where(
        ChatMessage.submission_id == nonce, ChatMessage.chat_id == chat.id))
    if existing is not None:
        return existing
    message = ChatMessage(chat_id=chat.id, author=author, body=body, submission_id=nonce,
                          staff_id=staff.id if staff is not None else None)
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # the same form twice at the same moment
        first = db.session.scalar(sa.select(ChatMessage).where(
            ChatMessage.submission_id == nonce, ChatMessage.chat_id == chat.id))
        if first is None:
            raise
        return first
    _announce(chat)  # a note too: colleagues at the chat see it at once
    return message


def messages_after(chat_id: int, after_id: int, for_staff: bool) -> list[ChatMessage]:
    query = sa.select(ChatMessage).where(ChatMessage.chat_id == chat_id, ChatMessage.id > after_id)
    if not for_staff:
        query = query.where(ChatMessage.author != NOTE)
    return list(db.session.scalars(query.order_by(ChatMessage.id)))


def messages_by_chat(chat_ids: list[int], for_staff: bool) -> dict[int, list[ChatMessage]]:
    """The messages of several chats in one query, each chat's in order (notes for staff)."""
    grouped: dict[int, list[ChatMessage]] = {}
    if not chat_ids:
        return grouped
    query = sa.select(ChatMessage).where(ChatMessage.chat_id.in_(chat_ids))
    if not for_staff:
        query = query.where(ChatMessage.author != NOTE)
    for message in db.session.scalars(query.order_by(ChatMessage.id)):
        grouped.setdefault(message.chat_id, []).append(message)
    return grouped


def take(chat: Chat, staff, max_parallel: int) -> None:
    """The counsellor takes this waiter; exactly one of two at the same moment wins."""
    active = db.session.scalar(sa.select(sa.func.count(Chat.id)).where(
        Chat.staff_id == staff.id, Chat.status == ACTIVE))
    if active >= max_parallel:
        raise TooMany()
    result = db.session.execute(
        sa.update(Chat).where(Chat.id == chat.id, Chat.status == WAITING)
        .values(status=ACTIVE, staff_id=staff.id, taken_at=utcnow(), version=Chat.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise NotYours()
    db.session.expire(chat)
    audit.record("chat.take", "chat", chat.public_id, actor=staff)
    _announce(chat, desk=True)


def take_next(staff, max_parallel: int) -> Chat | None:
    """The head of the queue (acute first); on a lost race, the next one."""
    for chat in db.session.scalars(waiting_query().limit(5)):
        try:
            take(chat, staff, max_parallel)
        except NotYours:
            continue
        return chat
    return None


def hand_over(chat: Chat, to_staff, actor) -> None:
    if chat.status == ENDED:
        raise ChatEnded()
    chat.staff_id = to_staff.id
    if chat.status == WAITING:
        chat.status, chat.taken_at = ACTIVE, utcnow()
    audit.record("chat.hand_over", "chat", chat.public_id, actor=actor)
    _announce(chat, desk=True)


def end(chat: Chat, by_staff=None) -> None:
    if chat.status == ENDED:
        return
    was_waiting = chat.status == WAITING
    chat.status, chat.ended_at, chat.requester_seen_at = ENDED, utcnow(), None
    if by_staff is not None:
        audit.record("chat.end", "chat", chat.public_id, actor=by_staff)
    _announce(chat, desk=was_waiting)


def delete(chat: Chat) -> None:
    """A guest said no to keeping it (or its time ran out): the chat and its messages go."""
    if chat.status != ENDED:
        end(chat)
    db.session.execute(sa.delete(ChatMessage).where(ChatMessage.chat_id == chat.id))
    db.session.delete(chat)


def keep_for(chat: Chat, account) -> None:
    """The guest created their anonymous account: the chat is theirs from now on."""
    chat.account_id, chat.guest_digest = account.id, None


def guest_keep_deadline(chat: Chat) -> datetime | None:
    if chat.ended_at is None:
        return None
    return chat.ended_at + timedelta(minutes=current_app.config["CHAT_GUEST_KEEP_MINUTES"])


def expired_guest_chats(moment: datetime | None = None):
    """SQL: guest chats past keeping — ended and not kept in time, or abandoned."""
    moment = moment or utcnow()
    keep = timedelta(minutes=current_app.config["CHAT_GUEST_KEEP_MINUTES"])
    return sa.select(Chat.id).where(Chat.account_id.is_(None), sa.or_(
        Chat.ended_at < moment - keep, Chat.created_at < moment - GUEST_ABANDONED))


def end_gone_waiters(moment: datetime | None = None) -> int:
    """Waiters whose page stopped asking long ago leave the queue for good (the purge)."""
    moment = moment or utcnow()
    gone = moment - timedelta(seconds=current_app.config["CHAT_WAITER_GONE_SECONDS"]) \
        - timedelta(hours=1)
    result = db.session.execute(sa.update(Chat).where(
        Chat.status == WAITING, Chat.requester_seen_at < gone)
        .values(status=ENDED, ended_at=moment, requester_seen_at=None))
    return result.rowcount


def purge_guests(moment: datetime | None = None) -> int:
    ids = expired_guest_chats(moment)
    db.session.execute(sa.delete(ChatMessage).where(ChatMessage.chat_id.in_(ids)))
    return db.session.execute(sa.delete(Chat).where(Chat.id.in_(ids))).rowcount


@dataclass(frozen=True)
class Line:
    """One message as the pages and the stream show it."""

    id: int
    author: str
    body: str
    at: datetime

    def as_event(self) -> dict:
        return {"id": self.id, "author": self.author, "body": self.body,
                "at": self.at.isoformat()}


def lines(messages: list[ChatMessage]) -> list[Line]:
    return [Line(m.id, m.author, m.body, m.created_at) for m in messages]



def channel_of(chat_public_id: str) -> str:
    return notices.chat_channel(chat_public_id)
