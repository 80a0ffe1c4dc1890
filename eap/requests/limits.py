"""Rate-limit keys for requester routes: per submitted secret (as a keyed digest) or global.

Never the client's address (DESIGN.md §3.3): the limiter's storage holds only digests.
"""

from flask import current_app, request

from eap.employers.access_codes import normalise
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
    return current_app.config.get("REQUESTER_SECRET_LIMIT", "5 per minute;20 per hour")


def only_failures(response) -> bool:
    """A successful attempt (a redirect or the next step) does not count."""
    return response.status_code not in (302, 303)
