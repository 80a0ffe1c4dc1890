"""The on-call rota's answers to what the requests feature announces (eap.requests.signals).

Imported once by the app factory, which connects these receivers."""

from eap.oncall import notify
from eap.requests import signals


@signals.acute_request_stored.connect
def tell_whoever_is_on_call(case, **_):
    notify.acute_request(case.public_id)  # no content; mailed after the commit, once
