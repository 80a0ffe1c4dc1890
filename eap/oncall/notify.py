"""Content-free notices to the person on call: a new acute request, an acute chat waiting.

During an on-call window (eap.oncall.rota) the window's staff member gets one e-mail per acute
request and per acute chat waiter, to their staff address: that something acute is waiting and
a link to sign in and look, nothing else (no topic, text, organisation or requester). Outside
every window nothing is sent from here; the acute notice to triage
(eap.counselling.staff_notices.notify_acute) is sent as always.

Exactly once per window, kind and ref, also when two processes handle the same thing at the same
moment: each notice is first claimed by inserting a row into ``oncall_notices`` whose unique
constraint (window, kind, ref) lets only one insert through (INSERT ... ON CONFLICT DO NOTHING,
on PostgreSQL and SQLite). The claim is part of the caller's transaction; the mail goes out only
after its commit (``transactions.after_commit``) and never after a rollback.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from eap import mail, transactions
from eap.employers.links import public_url
from eap.extensions import db
from eap.models import utcnow
from eap.oncall import rota
from eap.oncall.models import OnCallNotice

STAFF_LANGUAGE = "de"
REQUEST, CHAT = "request", "chat"
# The staff chat desk: the chat feature's blueprint is not part of this package, so its path is
# fixed here rather than built with url_for.
CHAT_DESK_PATH = "/staff/chat"


def _claim(window_id: int, kind: str, ref: str) -> bool:
    """Insert the notice or skip it if it exists; True when this call inserted it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(OnCallNotice)
                 .values(window_id=window_id, kind=kind, ref=ref, created_at=utcnow())
                 .on_conflict_do_nothing(index_elements=["window_id", "kind", "ref"])
                 .returning(OnCallNotice.id))
    return db.session.execute(statement).first() is not None


def _notify(kind: str, ref: str, subject: str, body: str, moment: datetime | None) -> int:
    """Claim and queue the notice for every window running now; returns how many were queued."""
    addresses = [window.staff.email  # read now: the commit expires it
                 for window in rota.active_windows(moment or utcnow())
                 if _claim(window.id, kind, ref)]
    for address in addresses:  # queued only once every claim is in
        transactions.after_commit(mail.send_in_background, address, subject, body)
    return len(addresses)


def acute_request(public_id: str, moment: datetime | None = None) -> int:
    """A new acute-danger request was stored (web form or phone intake): tell who is on call."""
    with force_locale(STAFF_LANGUAGE):
        subject = _("On call: an acute request is waiting")
        body = _("An acute request is waiting. Please sign in and open the inbox:") + "\n\n" + \
            public_url("counselling.inbox_list", urgency="acute")
    return _notify(REQUEST, public_id, subject, body, moment)


def acute_chat_waiting(chat_public_id: str) -> None:
    """For the chat feature: an acute chat waiter entered the waiting room. Call it in the
    transaction that records the waiter; the mail goes after its commit, once per window."""
    with force_locale(STAFF_LANGUAGE):
        subject = _("On call: an acute chat is waiting")
        body = _("An acute chat is waiting at the chat desk. Please sign in and open the chat "
                 "desk:") + "\n\n" + current_app.config["PUBLIC_BASE_URL"].rstrip("/") + \
            CHAT_DESK_PATH
    _notify(CHAT, chat_public_id, subject, body, None)
