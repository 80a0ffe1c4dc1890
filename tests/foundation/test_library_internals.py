"""The places that read a library's private state, checked against the library installed.

The read is isolated behind one function (``eap.security.sessions.cookie_login_token``). If
Flask-Login moved what it reads, the portal would not crash: it would treat every visitor as
signed out. This test turns that into a loud failure after an upgrade.
"""

from __future__ import annotations

import flask
from flask_login import current_user, login_user

from eap.security import sessions


def test_flask_login_keeps_the_user_id_where_the_portal_reads_it(app, make_hr_user):
    user = make_hr_user()
    user.login_token = "hr:probe-token"
    with app.test_request_context("/"):
        assert sessions.cookie_login_token() == ""
        login_user(user)
        assert sessions.cookie_login_token() == "hr:probe-token", (
            "Flask-Login no longer stores the user id under session['_user_id']")
        sessions.forget_cookie_login()
        assert sessions.cookie_login_token() == ""
        assert "_user_id" not in flask.session
    with app.test_request_context("/"):
        assert not current_user.is_authenticated


def test_flask_limiter_keeps_the_fallback_state_the_portal_switches(app):
    """``eap.extensions.limit_hit`` (counts made by views themselves) switches Flask-Limiter to
    its in-memory fallback when the storage is lost, through three private attributes; an
    upgrade that renames them would make those views answer 500 without Redis."""
    from eap.extensions import limiter

    with app.app_context():
        for name in ("_in_memory_fallback_enabled", "_fallback_limiter", "_storage_dead"):
            assert hasattr(limiter, name), f"Flask-Limiter no longer has {name}"
        assert limiter._in_memory_fallback_enabled and limiter._fallback_limiter is not None
