"""The chat's answers to what the requests feature announces (eap.requests.signals): a kept
guest chat joins the new account; the own-data export lists the chats; erasure deletes them.

Imported once by the app factory (``register_chat``), which connects these receivers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, session

from eap.chat import rooms
from eap.chat.models import Chat, ChatMessage
from eap.chat.requester_views import GUEST, KEEP, _guest_secret
from eap.extensions import db
from eap.requests import signals


@signals.account_created.connect
def keep_guest_chat(account, **_):
    """The guest chose "keep": their ended chat belongs to the new account from now on."""
    if not has_request_context() or not session.pop(KEEP, None):
        return
    data, secret = session.get(GUEST) or {}, _guest_secret()
    session.pop(GUEST, None)
    chat = rooms.find(data.get("id", ""))
    if chat is not None and rooms.requester_may_see(chat, None, secret) \
            and chat.organisation_id == account.organisation_id:
        rooms.keep_for(chat, account)


@signals.account_exported.connect
def export_chats(account, **_) -> dict:
    chats = list(db.session.scalars(sa.select(Chat).where(Chat.account_id == account.id)
                                    .order_by(Chat.created_at)))
    messages = rooms.messages_by_chat([chat.id for chat in chats], for_staff=False)
    return {"chats": [
        {
            "started_at": chat.created_at.isoformat(),
            "ended_at": chat.ended_at.isoformat() if chat.ended_at else None,
            "status": chat.status,
            "messages": [{"from": m.author, "sent_at": m.created_at.isoformat(), "text": m.body}
                         for m in messages.get(chat.id, [])],
        }
        for chat in chats
    ]}


@signals.cases_erasing.connect
def erase_chats(account, case_ids=None, **_):
    """Every chat of the account (and of its cases) goes, also where the database has no
    cascades."""
    chat_ids = list(db.session.scalars(sa.select(Chat.id).where(
        sa.or_(Chat.account_id == account.id, Chat.case_id.in_(case_ids)))))
    db.session.execute(sa.delete(ChatMessage).where(ChatMessage.chat_id.in_(chat_ids)))
    db.session.execute(sa.delete(Chat).where(Chat.id.in_(chat_ids)))
