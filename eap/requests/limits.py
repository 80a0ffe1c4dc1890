"""Rate-limit keys for requester routes: per submitted secret (as a keyed digest) or global.

Never the client's address (DESIGN.md §3.3): the limiter's storage holds only digests.
"""

from flask import current_app, request
from limits import RateLimitItemPerDay

from eap.employers.access_codes import normalise
from eap.extensions import limiter
from eap.security.lookup import lookup_digest


def _digest_of(field: str, purpose: str) -> str:
    return purpose + ":" + lookup_digest("ratelimit-" + purpose, normalise(
        request.form.get(field, "")
    ))[:32]


def by_access_code() -> str:
    return _digest_of("code", "code")


def by_case_key() -> str:
    return _digest_of("case_key", "key")


def by_recovery_code() -> str:
    return _digest_of("recovery_code", "recovery")


def per_secret() -> str:
    return current_app.config["REQUESTER_SECRET_LIMIT"]


def only_failures(response) -> bool:
    """A successful attempt (a redirect or the next step) does not count."""
    return response.status_code not in (302, 303)


def account_allowed(access_code_id: int | None) -> bool:
    """One more anonymous account through this access code today? (REQUESTER_ACCOUNTS_PER_CODE_
    PER_DAY; counted in the limiter's storage, keyed by the code's id, gone after a day.)

    Padding a code with accounts of one's own is what threshold reports could not resist; the
    differentially private report does, and this keeps such padding slow and visible.
    """
    per_day = current_app.config["REQUESTER_ACCOUNTS_PER_CODE_PER_DAY"]
    return limiter.limiter.hit(RateLimitItemPerDay(per_day), "accounts-per-code",
                               str(access_code_id or "none"))
