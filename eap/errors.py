"""Friendly error pages in the visitor's language; never a traceback."""

import logging

import sqlalchemy as sa
from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from eap.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Access denied"), _l("You are not allowed to open this page.")),
    404: (_l("Page not found"), _l("This page does not exist or is not available to you.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (
        _l("Too much data"),
        _l("What you sent is too large. Please shorten the text and try again."),
    ),
    429: (
        _l("Too many attempts"),
        _l("There were too many attempts. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side. Nothing you entered before was lost; please try again."),
    ),
}


# After a failed write the portal cannot know whether the database kept it (a crash in the
# middle of a commit): the page must not promise "nothing was lost" then.
MAYBE_WRITTEN = _l(
    "An error occurred on our side. What you just sent may or may not have been saved: please "
    "check whether it arrived before you send it again."
)
# A database that does not answer (restart, failover): load balancers and browsers may retry.
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


def render_error(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def _server_error(status: int, headers: dict | None = None):
    """The friendly 500 page, saying "check whether it arrived" after a write."""
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    response, _code = render_error(500, MAYBE_WRITTEN if writing else None)
    return response, status, headers or {}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l("Your form had expired or was sent twice. Please reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, SecurityError):
            # A Host outside TRUSTED_HOSTS: no URL can be built, so no page with links either.
            return "Bad request", 400, {"Content-Type": "text/plain; charset=utf-8"}
        code = error.code if error.code in MESSAGES else (500 if error.code >= 500 else 400)
        # The page explains the nearest known case; the status stays the real one (413, 503 …).
        response, _status = render_error(code)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response, 405, {"Allow": ", ".join(error.valid_methods)}
        return response, error.code

    def database_unavailable(error: Exception):
        # The class names only: the message may quote the statement and its parameters.
        log.error("database unavailable: %s (%s)", type(error).__name__,
                  type(getattr(error, "orig", None)).__name__)
        _rollback()
        return _server_error(503, {"Retry-After": str(RETRY_AFTER_SECONDS)})

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    # Registered after Flask-SQLAlchemy's own clean-up, so it runs first (Flask runs teardown
    # functions in reverse): a connection that died after the page was made (a database crash
    # between the last query and the end of the request) is discarded quietly instead of
    # replacing the finished answer with the server's bare 500.
    @app.teardown_appcontext
    def release_session(_error=None):
        try:
            db.session.remove()
        except UNAVAILABLE:
            log.warning("database connection lost at the end of a request; discarded")
            db.session.remove()  # the pool has invalidated the broken connection by now

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unhandled error")
        _rollback()
        return _server_error(500)


def _rollback() -> None:
    try:
        db.session.rollback()
    except UNAVAILABLE:  # the connection is gone; the pool replaces it on the next checkout
        log.warning("rollback after a database error failed as well")
