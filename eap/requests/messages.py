"""The message thread of a request, and the content-free "new message" ping."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from eap import mail
from eap.employers.links import public_url
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import HelpRequest, Message


def add_requester_message(case: HelpRequest, body: str, nonce: str) -> Message:
    """Save the reply once per form nonce; the same form sent twice returns the first one."""
    existing = _submitted(case, nonce)
    if existing is not None:
        return existing
    message = Message(case_id=case.id, author="requester", body=body.strip(), submission_id=nonce)
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # the same form, sent twice at the same moment
        first = _submitted(case, nonce)
        if first is None:  # another constraint failed: never pretend the reply was saved
            raise
        return first
    if case.status == "waiting":  # the counsellor was waiting for this answer
        case.status = "in_progress"
    db.session.flush()
    return message


def _submitted(case: HelpRequest, nonce: str) -> Message | None:
    return db.session.scalar(
        sa.select(Message).where(Message.case_id == case.id, Message.submission_id == nonce)
    )


def add_staff_message(case: HelpRequest, staff_id: int, body: str) -> Message:
    """For the staff feature: a counsellor's message. Call ``notify`` after the commit."""
    message = Message(case_id=case.id, author="staff", staff_id=staff_id, body=body.strip())
    db.session.add(message)
    db.session.flush()
    return message


def mark_shown_read(case: HelpRequest, author: str, now=None) -> None:
    """The page showed the thread (``case.messages``): those of ``author``'s messages that were
    unread are read now. Only the messages shown: one that arrived while the page was being
    made stays new. Nothing new, no write (so a plain view takes no write lock on SQLite)."""
    unread = [m.id for m in case.messages if m.author == author and m.read_at is None]
    if unread:
        db.session.execute(
            sa.update(Message)
            .where(Message.id.in_(unread), Message.read_at.is_(None))
            .values(read_at=now or utcnow())
        )


def notify(case: HelpRequest) -> None:
    """Ping the requester's notification address, if any: no content, no topic, no name.

    Call after the commit: a failed e-mail never undoes the saved message.
    """
    address = case.account.notification_email
    if not address:
        return
    with force_locale(case.language):
        subject = _("You have a new message")
        body = _(
            "There is a new message for you in the iGuS EAP portal. "
            "Sign in with your case key to read it:"
        ) + "\n\n" + public_url("requests.sign_in")
    mail.send_in_background(address, subject, body)
