"""Rate-limit keys that never contain a client address (DESIGN.md §3.3 and §3.7).

Sign-ins are throttled per account name (as a keyed hash, so the limiter's storage holds no
e-mail address either). Nobody can lock a person out by failing on purpose from elsewhere:

- A browser in which an account once signed in completely is *known* for it (a keyed digest in
  the signed session cookie, kept across sign-out). Its attempts count in their own bucket, so
  a stranger's failures on the same account name never refuse it.
- Every other browser shares the account's *untrusted* bucket. It is never a refusal: the
  password step carries a proof of work (``eap.security.proof_of_work``), and once the bucket is
  full the step asks for ``POW_LOGIN_PRESSURE_DOUBLINGS`` doublings more work before the
  password is even checked (``password_step``). Each further guess costs the guesser that work;
  the owner on a new device pays it once and gets in (issue 26, item 3).
- The TOTP step is throttled per password step (a random nonce) and, with a higher ceiling per
  hour, per account and bucket (known browsers apart from the rest).
- Global failures are a signal, not a lock: ``eap.security.pressure``.

See SECURITY.md, item 3.
"""

import hashlib
import hmac
import logging

from flask import current_app, request, session
from limits import parse_many

from eap.extensions import limit_hit, limit_test
from eap.security import proof_of_work

KNOWN = "known_accounts"
KNOWN_MAX = 8  # a shared office computer: the last few accounts signed in here


def _keyed(value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def account_digest(email: str) -> str:
    return _keyed(email.strip().lower())


def remember_browser(email: str) -> None:
    """Mark this browser as known for the account (after a complete sign-in)."""
    digest = account_digest(email)
    known = [d for d in session.get(KNOWN, []) if d != digest]
    session[KNOWN] = [digest, *known][:KNOWN_MAX]


def _bucket(digest: str) -> str:
    return digest + (":known" if digest in session.get(KNOWN, []) else "")


def by_submitted_email() -> str:
    return "email:" + _bucket(account_digest(request.form.get("email", "")))


def by_pending_login() -> str:
    """One password step (its nonce): a stranger's wrong codes do not count for the owner."""
    pending = session.get("staff_pending") or {}
    return "pending:" + _keyed(str(pending.get("nonce", "none")))


def by_pending_account() -> str:
    pending = session.get("staff_pending") or {}
    return "totp-account:" + _bucket(pending.get("account", "none"))


GO, ASK_AGAIN, REFUSED = "go", "ask-again", "refused"


def _login_limits() -> list:
    return list(parse_many(current_app.config["LOGIN_RATE_LIMIT"]))


def _full(key: str) -> bool:
    return not all(limit_test(item, "login-failures", key) for item in _login_limits())


def pressure_doublings() -> int:
    """Extra doublings of the proof of work for the submitted account name: none for a known
    browser or while the account's untrusted bucket has room."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return 0
    key = by_submitted_email()
    if key.endswith(":known") or not _full(key):
        return 0
    return int(current_app.config["POW_LOGIN_PRESSURE_DOUBLINGS"])


def password_step(purpose: str) -> str:
    """Before a password is checked: GO, ASK_AGAIN (no valid proof of work at the level the
    account name asks for now: show the page again, no hash computed) or REFUSED (only a known
    browser's own bucket, full of this browser's own failures)."""
    key = by_submitted_email()
    if (current_app.config.get("RATELIMIT_ENABLED", True) and key.endswith(":known")
            and _full(key)):
        return REFUSED
    if proof_of_work.check(purpose, pressure_doublings()) != proof_of_work.PASSED:
        return ASK_AGAIN
    return GO


def password_failed() -> None:
    """Count a wrong password in the submitted account name's bucket (known or untrusted)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    key = by_submitted_email()
    for item in _login_limits():
        limit_hit(item, "login-failures", key)


def everyone() -> str:
    return "global"


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def totp_account_limit() -> str:
    return current_app.config["TOTP_ACCOUNT_LIMIT"]


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
