"""The one place that reads a library's private state, checked against the library installed.

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

