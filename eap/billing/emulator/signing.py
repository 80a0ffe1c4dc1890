"""Stripe's webhook signature scheme, to sign the events the emulator sends."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request


def sign(body: bytes, secret: str, at: int | None = None) -> str:
    """The ``Stripe-Signature`` header: ``t=<time>,v1=<HMAC-SHA256 of "<t>.<body>">``."""
    stamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def event(kind: str, obj: dict, created: int | None = None) -> dict:
    return {
        "id": "evt_" + secrets.token_hex(12), "object": "event",
        "api_version": "2025-03-31.basil", "created": created or int(time.time()),
        "type": kind, "livemode": False, "data": {"object": obj},
    }


def deliver(url: str, secret: str, payload: dict, attempts: int = 5) -> int:
    """POST the signed event; like Stripe, deliver again while the answer is not 2xx."""
    body = json.dumps(payload).encode()
    status = 0
    for attempt in range(attempts):
        if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise ValueError("the emulator only delivers to the local portal")
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
            "Stripe-Signature": sign(body, secret), "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310  # nosec B310
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        if 200 <= status < 300:
            return status
        time.sleep(0.2 * (attempt + 1))
    return status
