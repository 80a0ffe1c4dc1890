"""The SDK set-up and error mapping every call to Stripe goes through.

Every call configures the SDK from the app config (``STRIPE_SECRET_KEY``, and
``STRIPE_API_BASE`` to point it at a local emulator in tests), never retries on its own, and turns
any Stripe error into ``GatewayError`` — logged by error type only, never with personal data.
"""

from __future__ import annotations

import logging

import stripe
from flask import current_app

log = logging.getLogger("eap.billing.gateway")
# The SDK logs every request's URL at INFO, customer and subscription ids included; our own
# lines above say what failed without them.
logging.getLogger("stripe").setLevel(logging.WARNING)


class GatewayError(RuntimeError):
    """Stripe refused or could not be reached; the caller shows a friendly message."""


class CatalogueIncomplete(GatewayError):
    """A package's price or the VAT rate is missing at Stripe: ``flask sync-stripe`` was not run."""

    def __init__(self, what: str):
        super().__init__(what)
        log.error("stripe catalogue incomplete (%s): run `flask --app eap sync-stripe`", what)


class WebhookRejected(ValueError):
    """A webhook request that is not a genuine, fresh Stripe event."""


def configure() -> None:
    config = current_app.config
    stripe.api_key = config["STRIPE_SECRET_KEY"]
    stripe.api_base = config.get("STRIPE_API_BASE") or "https://api.stripe.com"
    stripe.max_network_retries = 0


def call(what: str, function, *args, **kwargs):
    """``function(*args, **kwargs)`` of the SDK; any Stripe error becomes ``GatewayError``."""
    configure()
    try:
        return function(*args, **kwargs)
    except stripe.StripeError as error:
        # The error class and Stripe's code only: messages may quote customer data.
        log.warning("stripe %s failed: %s %s", what, type(error).__name__, error.code or "")
        raise GatewayError(what) from error


def plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def plain_id(value) -> str:
    """The id of an expanded object or the id itself."""
    return value.get("id", "") if isinstance(value, dict) else str(value)
