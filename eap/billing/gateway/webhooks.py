"""Checking that a webhook request is a genuine, fresh Stripe event."""

from __future__ import annotations

import json
import time

import stripe
from flask import current_app

from eap.billing.gateway.client import WebhookRejected

WEBHOOK_TOLERANCE = 300  # seconds, in the past and (checked here) in the future


def verify_event(payload: bytes, signature: str) -> dict:
    """The event as a plain dict, if the signature is genuine and its time within ±300 s."""
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    try:
        stripe.Webhook.construct_event(payload, signature, secret, tolerance=WEBHOOK_TOLERANCE)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise WebhookRejected(type(error).__name__) from error
    # The SDK only refuses old timestamps; one far in the future is just as suspicious.
    stamps = [part[2:] for part in signature.split(",") if part.startswith("t=")]
    if not stamps or not stamps[0].isdigit() or int(stamps[0]) > time.time() + WEBHOOK_TOLERANCE:
        raise WebhookRejected("timestamp in the future")
    event = json.loads(payload)
    if not isinstance(event, dict) or not str(event.get("id", "")).startswith("evt_"):
        raise WebhookRejected("not an event")
    return event
