"""Rate-limit keys that never contain a client address (DESIGN.md §3.3 and §3.7).

Logins are throttled per account name (as a keyed hash, so the limiter's storage holds no
e-mail address either) and, with a higher ceiling, globally per endpoint.
"""

import hashlib
import hmac

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
