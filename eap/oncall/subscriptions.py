"""The on-call rota's answers to what the requests feature announces (eap.requests.signals).

Imported once by the app factory, which connects these receivers."""

import logging

from eap.extensions import db
from eap.oncall import notify
from eap.requests import signals

log = logging.getLogger(__name__)


@signals.acute_request_stored.connect
def tell_whoever_is_on_call(case, **_):
    """No content; mailed after the commit, once. In a savepoint: a failing notice never costs
    the requester their request (DESIGN.md §3.9), and triage's notice goes out regardless."""
    try:
        with db.session.begin_nested():
            notify.acute_request(case.public_id)
    except Exception as error:  # noqa: BLE001 - logged by class name; the request stands
        log.error("the on-call notice failed: %s", type(error).__name__)
