"""Server-side records of HR and staff sign-ins.

The browser's signed cookie only carries a random token; the record behind it makes logout,
"log out everywhere" and "a password change ends other sessions" real: once the record is gone,
a copied old cookie opens nothing. Anonymous requesters never get such a record.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime

import sqlalchemy as sa
from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, joinedload, mapped_column

from eap.extensions import db, login_manager
from eap.models import TimestampMixin, UTCDateTime, utcnow
from eap.security.ratelimits import KNOWN, KNOWN_MAX

# kind → the account model that can sign in ("hr", "staff"), registered by the feature that
# owns the model (eap.employers.models, eap.staff.models): this module knows no feature.
USER_MODELS: dict[str, tuple[type, tuple[str, ...]]] = {}
# kind → the select of the user behind a sign-in record (the digest is bound per request).
USER_BY_SESSION: dict[str, sa.Select] = {}


class LoginSession(TimestampMixin, db.Model):
    __tablename__ = "login_sessions"
    __table_args__ = (
        CheckConstraint(
            "(hr_user_id IS NULL) <> (staff_user_id IS NULL)", name="exactly_one_user"
        ),
    )

    # SHA-256 of the token in the cookie: a database dump does not yield usable cookies.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hr_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("hr_users.id", ondelete="CASCADE"), index=True
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def now() -> float:
    """The clock of session timeouts (one function, so tests can move time)."""
    return time.time()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Flask-Login keeps the signed-in user's id (here: the sign-in token) under this session key.
# It has no public way to ask "does this cookie claim a sign-in?" without loading the user (a
# database query on every anonymous page), so the key is read here and nowhere else;
# tests/foundation/test_library_internals.py fails loudly if Flask-Login moves it.
_FLASK_LOGIN_KEY = "_user_id"


def cookie_login_token() -> str:
    """The sign-in token this browser's session cookie claims ('' for none), not yet checked."""
    return session.get(_FLASK_LOGIN_KEY, "")


def forget_cookie_login() -> None:
    """Drop a sign-in claim whose record is gone (revoked elsewhere), keeping the rest."""
    session.pop(_FLASK_LOGIN_KEY, None)


def _user_column(kind: str):
    return LoginSession.hr_user_id if kind == "hr" else LoginSession.staff_user_id


def start(user) -> None:
    """Sign ``user`` in with a fresh session (any earlier session content is dropped)."""
    fresh_session()  # no fixation: nothing from before the login survives but the language
    token = secrets.token_urlsafe(32)
    user.login_token = f"{user.kind}:{token}"
    record = LoginSession(id=_digest(user.login_token))
    setattr(record, "hr_user_id" if user.kind == "hr" else "staff_user_id", user.id)
    db.session.add(record)
    user.last_login_at = utcnow()
    login_user(user)
    session["login_at"] = now()
    session["seen_at"] = session["login_at"]


def end(user) -> None:
    """Log out this browser only."""
    token = cookie_login_token()
    db.session.execute(sa.delete(LoginSession).where(LoginSession.id == _digest(token)))
    logout_user()
    _clear_keep_language()


def revoke_all(user, keep_current: bool = False) -> None:
    """Delete the sign-in records of ``user`` (optionally all but this browser's)."""
    query = sa.delete(LoginSession).where(_user_column(user.kind) == user.id)
    if keep_current:
        query = query.where(LoginSession.id != _digest(cookie_login_token()))
    db.session.execute(query)


def end_all(user) -> None:
    """Log out every browser of ``user``, this one included."""
    revoke_all(user)
    logout_user()
    _clear_keep_language()


def _clear_keep_language() -> None:
    fresh_session()


def fresh_session() -> None:
    """Empty the session but for the language and the browser's known accounts (both set by
    the portal itself; see eap.security.ratelimits)."""
    lang = session.get("lang")
    known = session.get(KNOWN)
    session.clear()
    if lang:
        session["lang"] = lang
    if isinstance(known, list):
        session[KNOWN] = [d for d in known if isinstance(d, str)][:KNOWN_MAX]


def register_user_model(kind: str, model: type, *eager: str) -> None:
    """Let accounts of ``model`` sign in as ``kind``; ``eager`` names relationships that every
    page of that kind shows, loaded in the same query (the HR user's organisation)."""
    USER_MODELS[kind] = (model, eager)


def _user_by_session(kind: str) -> sa.Select | None:
    """The select of the user behind a sign-in record, built on first use (once every model is
    known) and kept: constructing it cost more than running it on every signed-in page."""
    statement = USER_BY_SESSION.get(kind)
    if statement is None and kind in USER_MODELS:
        model, eager = USER_MODELS[kind]
        statement = USER_BY_SESSION[kind] = (
            sa.select(model)
            .join(LoginSession, _user_column(kind) == model.id)
            .where(LoginSession.id == sa.bindparam("digest"))
            .options(*(joinedload(getattr(model, name)) for name in eager))
        )
    return statement


@login_manager.user_loader
def load_user(user_id: str):
    kind, _, token = user_id.partition(":")
    statement = _user_by_session(kind)
    if statement is None or not token:
        return None
    user = db.session.scalar(statement, {"digest": _digest(user_id)})
    if user is None or (kind == "staff" and not user.active):
        return None
    user.login_token = user_id
    return user
