"""The two places that read a library's private state, checked against the libraries installed.

Each read is isolated behind one function (``eap.i18n._babel_state``,
``eap.security.sessions.cookie_login_token``). If Flask, Flask-Babel or Flask-Login move what
these read, the portal would not crash: it would quietly get slower (Babel) or treat every
visitor as signed out (Login). These tests turn that into a loud failure after an upgrade.
"""

from __future__ import annotations

import flask
from flask_babel import force_locale, get_locale
from flask_login import current_user, login_user

from eap import i18n
from eap.security import sessions


def test_flask_babel_state_is_where_the_fast_path_reads_it(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        locale = get_locale()
        state = i18n._babel_state()
        assert state is not None, "Flask-Babel no longer keeps its state in g._flask_babel"
        assert state.babel_locale is locale, "Flask-Babel renamed babel_locale"
        assert i18n.request_locale() is locale
        with force_locale("de"):
            assert i18n._babel_state().babel_locale is get_locale()
            assert i18n.gettext("Language") == "Sprache"
        assert i18n.gettext("Language") == "Language"


def test_flask_app_context_variable_is_the_current_context(app):
    from flask.globals import _cv_app

    with app.app_context() as context:
        assert _cv_app.get() is context, "Flask's _cv_app no longer holds the app context"
        assert _cv_app.get().g is flask.g._get_current_object()
    assert i18n._babel_state() is None  # outside a context: the slow, public path


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
