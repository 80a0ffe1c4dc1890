"""Rate-limit keys that never contain a client address (DESIGN.md §3.3 and §3.7).

Logins are throttled per account name (as a keyed hash, so the limiter's storage holds no
e-mail address either) and, with a higher ceiling, globally per endpoint.
"""

import hashlib
import hmac
import logging

from flask import current_app, request


def _keyed(value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def by_submitted_email() -> str:
    return "email:" + _keyed(request.form.get("email", "").strip().lower())


def by_pending_login() -> str:
    from flask import session

    pending = session.get("staff_pending") or {}
    return "pending:" + _keyed(str(pending.get("id", "none")))


def everyone() -> str:
    return "global"


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def only_failures(response) -> bool:
    """Count a login attempt against the limit unless it succeeded (redirected)."""
    return response.status_code != 302


class _StorageStateAlarm(logging.Filter):
    """Flask-Limiter notes a lost rate-limit storage as a one-line warning and its return at
    info level. Both change how the portal protects its sign-ins, so they are raised to an error
    and a warning that say what it means (``tests/drills/test_redis_outage.py`` checks them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "falling back to in-memory storage" in message:
            record.levelno, record.levelname = logging.ERROR, "ERROR"
            record.msg, record.args = STORAGE_DOWN, ()
        elif "storage recovered" in message:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = STORAGE_BACK, ()
        return True


STORAGE_DOWN = (
    "RATE-LIMIT STORAGE UNREACHABLE: sign-in and access-code limits now count per process in "
    "memory (each worker and host separately) until it answers again; see /readyz"
)
STORAGE_BACK = "Rate-limit storage answers again: limits are shared again"
_ALARM = _StorageStateAlarm()


def watch_storage(limiter) -> None:
    """Raise the limiter's storage messages to the log levels their meaning deserves."""
    if _ALARM not in limiter.logger.filters:
        limiter.logger.addFilter(_ALARM)
    limiter.logger.setLevel(logging.INFO)
