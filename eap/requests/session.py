"""The requester's sign-in, kept under its own key in the signed session cookie.

Requesters get no Flask-Login user and no server-side sign-in record; the cookie names the
account's session generation, which sign-out, recovery and erasure raise (``revoke_all``), so
every copy of an older cookie opens nothing. Signing in as a requester
ends any HR or staff sign-in in the same browser; an HR or staff sign-in clears the whole
session (``eap.security.sessions.start``), so the two never coexist.
"""

from __future__ import annotations

from functools import wraps

from flask import current_app, flash, g, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from eap.requests import accounts
from eap.requests.models import RequesterAccount
from eap.security import sessions

KEY = "requester"
ABSOLUTE_TIMEOUT = 12 * 3600
DRAFT_LIMIT = 20_000


def sign_in(account: RequesterAccount) -> None:
    if current_user.is_authenticated:
        sessions.end(current_user)  # drops the HR/staff record and clears the session
    sessions.fresh_session()  # no fixation: nothing from before survives but the language
    moment = sessions.now()
    session[KEY] = {"id": account.public_id, "gen": account.session_generation, "at": moment,
                    "seen": moment}
    accounts.mark_seen(account)


def revoke_all(account: RequesterAccount) -> None:
    """End every sign-in of ``account``, on every device and in every copied cookie."""
    account.session_generation = (account.session_generation or 0) + 1


def sign_out() -> None:
    """Sign out; the account's every session ends with this one (a copied cookie included)."""
    account = current()
    if account is not None:
        revoke_all(account)
    if current_user.is_authenticated:  # an HR/staff sign-in in this browser ends for real too
        sessions.end(current_user)
    sessions.fresh_session()


def current() -> RequesterAccount | None:
    """The signed-in requester, or None (expired sessions are ended here)."""
    if "requester" in g:
        return g.requester
    g.requester = None
    data = session.get(KEY)
    if not data:
        return None
    moment = sessions.now()
    idle = moment - data.get("seen", 0) > current_app.config["REQUESTER_IDLE_TIMEOUT"]
    expired = idle or moment - data.get("at", 0) > ABSOLUTE_TIMEOUT
    account = None if expired else accounts.find(data.get("id", ""))
    # The account is loaded anyway: comparing its generation costs nothing more.
    if account is not None and data.get("gen") != account.session_generation:
        account = None
    if account is None:
        session.pop(KEY, None)
        g.requester_expired = True
        return None
    # Refresh the idle clock at most once a minute, so the cookie does not change every time.
    if moment - data["seen"] > 60:
        session[KEY] = {**data, "seen": moment}
    g.requester = account
    return account


def requester_required(draft_field: str | None = None):
    """Only a signed-in requester may use the view.

    When the session ran out while the person was writing, the sign-in page keeps the text
    (``draft_field``) in the re-rendered form, so nothing written is lost.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current() is not None:
                return view(*args, **kwargs)
            from eap.requests.forms import SignInForm

            form = SignInForm(formdata=None)
            draft = ""
            if request.method == "POST" and draft_field:
                draft = request.form.get(draft_field, "")[:DRAFT_LIMIT]
                form.draft.data = draft
                form.draft_target.data = request.path
            if draft or g.get("requester_expired"):
                flash(_("You were signed out after a while without activity. "
                        "Please sign in again."), "info")
            if draft:
                flash(_("Your text is kept: after signing in you can check it and send it."),
                      "info")
            return render_template("requests/sign_in.html", form=form), 401

        return wrapped

    return decorator
