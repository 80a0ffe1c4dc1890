"""Global pressure on the secret checks: a signal that costs attackers, never a lock.

Counted are only attempts that reached verification and failed (a wrong password, access code,
case key, recovery code or TOTP code). Past ``GLOBAL_FAILURE_THRESHOLD`` within its window:
every further failure waits ``GLOBAL_FAILURE_DELAY`` seconds before it is answered, and the
administrators are alerted (a warning in the log and a ``security.pressure`` entry in the audit
log, at most once per window and scope). A right secret is checked before this and is never
refused or slowed because of other people's failures. See SECURITY.md, item 3.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from limits import parse

from eap import transactions
from eap.extensions import limit_hit

log = logging.getLogger(__name__)


def _over(limit: str, *key: str) -> bool:
    """Count one hit against ``limit`` for ``key``; True once the limit is exceeded."""
    return not limit_hit(parse(limit), "eap-pressure", *key)


def failed(scope: str) -> None:
    """Record one failed verification in ``scope`` (e.g. "staff-login", "requester-secret")."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return
    if not _over(config["GLOBAL_FAILURE_THRESHOLD"], "failures", scope):
        return
    if not _over(config["GLOBAL_FAILURE_ALERT_EVERY"], "alert", scope):
        alert(scope)
    time.sleep(float(config["GLOBAL_FAILURE_DELAY"]))


def alert(scope: str) -> None:
    """Tell the administrators: in the log and in the audit log (both hold counts, no names)."""
    from eap.security import audit

    log.warning("many failed sign-in attempts (%s): failures are slowed down", scope)
    audit.record("security.pressure", "scope", scope)
    # Deliberate commit: the alert must survive the refused attempt's answer, whatever its
    # status (a failed attempt has nothing else to save).
    transactions.commit_now("security alert on a refused attempt")
