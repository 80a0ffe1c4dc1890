"""Who may open which page: one decorator per kind of account, and the session timeouts."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.security import sessions

# A staff member's last activity is written to the session at most once a minute: writing it on
# every request re-signed and re-sent the session cookie each time. The idle timeout may then end
# a session up to a minute early, never late.
SEEN_AT_STEP = 60

# What a feature adds to every HR page, in order (eap.employers.terms_gate: new terms wait for an
# owner's acceptance). Each check gets the HR user and returns None to go on, or the response
# that stops the request. This module knows no feature; features register here.
HR_PAGE_CHECKS: list = []


def add_hr_page_check(check):
    HR_PAGE_CHECKS.append(check)
    return check


def _login_redirect(endpoint: str):
    return redirect(url_for(endpoint, next=request.full_path.rstrip("?")))


def hr_required(*roles: str):
    """Only HR users (of the given roles, if named) may open the page; while new terms wait for
    acceptance, owners are sent to accept them first (``HR_PAGE_CHECKS``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _login_redirect("hr_auth.login")
            if current_user.kind != "hr" or (roles and current_user.role not in roles):
                abort(403)
            for check in HR_PAGE_CHECKS:
                stop = check(current_user)
                if stop is not None:
                    return stop
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(*roles: str):
    """Only signed-in iGuS staff (of the given roles, if named) may open the page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _login_redirect("staff_auth.login")
            if current_user.kind != "staff" or (roles and current_user.role not in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    @app.before_request
    def enforce_timeouts():
        if request.endpoint == "static" or not sessions.cookie_login_token():
            return None
        if not current_user.is_authenticated:
            sessions.forget_cookie_login()
            return None
        moment = sessions.now()
        too_old = moment - session.get("login_at", 0) > current_app.config[
            "PERMANENT_SESSION_LIFETIME"
        ]
        idle = moment - session.get("seen_at", 0) > current_app.config[
            "STAFF_IDLE_TIMEOUT" if current_user.kind == "staff" else "HR_IDLE_TIMEOUT"
        ]
        if too_old or idle:
            kind = current_user.kind
            sessions.end(current_user)
            flash(_("You were signed out after a period of inactivity."), "info")
            return redirect(url_for("staff_auth.login" if kind == "staff" else "hr_auth.login"))
        if moment - session.get("seen_at", 0) >= SEEN_AT_STEP:
            session["seen_at"] = moment
        return None
