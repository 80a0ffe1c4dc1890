"""Stripe for tests: the localstripe emulator plus the stand-in for what it lacks
(``eap.billing.emulator``, the same one ``make run`` uses), and signed webhook events in the
current Stripe shape.
"""

from __future__ import annotations

import json
import secrets
import time

from eap.billing.emulator import signing
from eap.billing.emulator.localstripe_process import API_KEY, start_localstripe
from eap.billing.emulator.standin import StandIn

__all__ = ["API_KEY", "StandIn", "start_localstripe", "WEBHOOK_SECRET"]

WEBHOOK_SECRET = "whsec_test_secret"
NOWHERE = "http://127.0.0.1:9"  # the discard port, closed: Stripe calls fail at once, locally


def settings(stripe_api, **extra) -> dict:
    """The app settings that point the portal at the stand-in (for an ``app_settings`` fixture)."""
    return {"STRIPE_API_BASE": stripe_api.url, "STRIPE_SECRET_KEY": API_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, **extra}


def sign(body: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    return signing.sign(body, secret, at)


# --- signed webhooks in the current Stripe shape --------------------------------------------


def event(kind: str, obj: dict, created: int | None = None, event_id: str | None = None) -> dict:
    return {
        "id": event_id or "evt_" + secrets.token_hex(8), "object": "event",
        "api_version": "2025-03-31.basil", "created": created or int(time.time()),
        "type": kind, "livemode": False, "data": {"object": obj},
    }


def subscription(sub_id: str, customer: str, contract_id: int | None = None, status="active",
                 quantity=50, lookup_key="paket1_month", cancel=False, period_end=None) -> dict:
    now = int(time.time())
    return {
        "id": sub_id, "object": "subscription", "customer": customer, "status": status,
        "cancel_at_period_end": cancel,
        "metadata": {"contract_id": str(contract_id)} if contract_id else {},
        "items": {"object": "list", "data": [{
            "id": "si_" + sub_id[4:], "object": "subscription_item", "quantity": quantity,
            "price": {"id": "price_x", "object": "price", "lookup_key": lookup_key},
            "current_period_start": now, "current_period_end": period_end or now + 30 * 86400,
        }]},
    }


def invoice(inv_id: str, customer: str, sub_id: str, status="paid", total=23800) -> dict:
    return {
        "id": inv_id, "object": "invoice", "customer": customer, "status": status,
        "number": "EAP-" + inv_id[-4:], "total": total, "amount_due": total, "currency": "eur",
        "created": int(time.time()), "due_date": None,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/{inv_id}",
        "invoice_pdf": f"https://pay.stripe.com/invoice/{inv_id}/pdf",
        "parent": {"type": "subscription_details",
                   "subscription_details": {"subscription": sub_id}},
    }


def post_event(client, payload: dict, at: int | None = None, secret: str = WEBHOOK_SECRET):
    body = json.dumps(payload).encode()
    return client.post("/stripe/webhook", data=body,
                       headers={"Stripe-Signature": sign(body, secret, at),
                                "Content-Type": "application/json"})
