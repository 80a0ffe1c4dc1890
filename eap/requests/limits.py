"""Rate-limit keys for requester routes: per submitted secret (as a keyed digest) or global.

Never the client's address (DESIGN.md §3.3): the limiter's storage holds only digests.
"""

from flask import current_app, g, request
from limits import RateLimitItemPerHour, parse

from eap.employers.access_codes import normalise
from eap.extensions import limit_hit
from eap.models import utcnow
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
    """A successful attempt (a redirect or the next step) does not count, nor a page shown again
    for a missing proof of work: the right code sent by a script must not use up the code's
    allowance for the colleagues who type it (issue 26)."""
    return response.status_code not in (302, 303) and not g.get("not_a_failed_secret")


def not_a_failed_secret() -> None:
    g.not_a_failed_secret = True


def note_new_account(organisation_id: int, access_code_id: int | None) -> None:
    """Count a burst of new accounts on one code for iGuS administrators, never a refusal.

    Past ``ACCOUNT_BURST_THRESHOLD`` new accounts within its window on one code, one
    ``account_burst`` cell (organisation, month) is added, at most once per window and code; the
    admin figures show those counts. Nothing any requester or HR user sees depends on it: the
    brake on padding is the proof of work each new account pays (eap.security.proof_of_work),
    which no client can use up for another (issue 26).
    """
    from eap.requests import counters

    config = current_app.config
    key = str(access_code_id or "none")
    if limit_hit(parse(config["ACCOUNT_BURST_THRESHOLD"]), "accounts-burst", key):
        return
    if limit_hit(RateLimitItemPerHour(1), "accounts-burst-noted", key):
        counters.bump(counters.month_of(utcnow()), counters.ACCOUNT_BURST, str(organisation_id))
