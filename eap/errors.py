"""Friendly error pages in the visitor's language; never a traceback."""

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from eap.extensions import db
from eap.i18n import lazy_gettext as _l

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


def render_error(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unhandled error")
        db.session.rollback()
        return render_error(500)
