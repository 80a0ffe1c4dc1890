"""The chat desk's rules beyond one chat: who may open a chat, the waiting room as counsellors
see it, turning a chat into a case, the chats shown in a case's thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from eap.chat import rooms
from eap.chat.models import ACTIVE, REQUESTER, Chat, ChatMessage
from eap.counselling import assignment
from eap.counselling.lookup import may_see
from eap.extensions import db
from eap.requests import cases
from eap.requests.models import HelpRequest, RequesterAccount
from eap.security import audit
from eap.staff.models import StaffUser

ALL_CHATS_ROLES = ("triage", "admin")


def may_open(chat: Chat, staff) -> bool:
    """Triage and admins open every chat; a counsellor the chats they hold, and those of the
    cases they may see."""
    if staff.role in ALL_CHATS_ROLES or chat.staff_id == staff.id:
        return True
    if chat.case_id is not None:
        case = db.session.get(HelpRequest, chat.case_id)
        return case is not None and may_see(case, staff)
    return False


def audit_open(chat: Chat, staff) -> None:
    """Who opened which chat, and when — never what they read (DESIGN.md §3.4)."""
    audit.record("chat.view", "chat", chat.public_id, actor=staff)


@dataclass(frozen=True)
class Waiter:
    public_id: str
    acute: bool
    language: str
    guest: bool
    since: datetime


def waiting_room(limit: int = 50) -> list[Waiter]:
    """One query: the waiting room, acute first, then by waiting time. No content."""
    rows = db.session.execute(
        rooms.waiting_query().with_only_columns(
            Chat.public_id, Chat.acute, Chat.language, Chat.account_id.is_(None),
            Chat.created_at).limit(limit))
    return [Waiter(*row) for row in rows]


def my_chats(staff) -> list[Chat]:
    return list(db.session.scalars(sa.select(Chat).where(
        Chat.staff_id == staff.id, Chat.status == ACTIVE).order_by(Chat.taken_at)))


def colleagues(staff) -> list[StaffUser]:
    return list(db.session.scalars(sa.select(StaffUser).where(
        StaffUser.active.is_(True), StaffUser.role.in_(assignment.COUNSELLING_ROLES),
        StaffUser.id != staff.id).order_by(StaffUser.name)))


def to_case(chat: Chat, staff, nonce: str, area: str, topic: str, for_whom: str,
            urgency: str) -> HelpRequest:
    """A case for the chat's requester, with the chat in its thread, held by this counsellor.

    Only for a requester with an account (a guest first keeps the chat as an account)."""
    if chat.account_id is None:
        raise ValueError("a guest's chat")
    if chat.case_id is not None:
        return db.session.get(HelpRequest, chat.case_id)
    account = db.session.get(RequesterAccount, chat.account_id)
    first = db.session.scalar(sa.select(ChatMessage).where(
        ChatMessage.chat_id == chat.id, ChatMessage.author == REQUESTER)
        .order_by(ChatMessage.id).limit(1))
    case = cases.create_request(account, nonce, cases.RequestData(
        acute_danger=chat.acute, area=area, topic=topic, for_whom=for_whom, urgency=urgency,
        contact="chat", callback_number=None, callback_window=None, language=chat.language,
        description=first.body if first is not None else "",
    ))
    db.session.flush()
    chat.case_id = case.id
    assignment.take(case, staff)
    audit.record("chat.to_case", "chat", chat.public_id, actor=staff)
    return case


def chats_of_case(case_id: int, for_staff: bool) -> list[tuple[Chat, list[rooms.Line]]]:
    """The chats in a case's thread, each with its messages (two queries)."""
    chats = list(db.session.scalars(sa.select(Chat).where(Chat.case_id == case_id)
                                    .order_by(Chat.created_at)))
    grouped = rooms.messages_by_chat([chat.id for chat in chats], for_staff)
    return [(chat, rooms.lines(grouped.get(chat.id, []))) for chat in chats]
