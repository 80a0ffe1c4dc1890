"""The stand-in's HTTP side: which requests it answers itself and which go on to localstripe,
and Stripe's idempotency replay."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

if TYPE_CHECKING:
    from eap.billing.emulator.standin import StandIn


def _price_list(stand_in: StandIn, params: dict) -> dict:
    keys = {v for k, v in params.items() if k.startswith("lookup_keys[")}
    data = [p for p in stand_in.prices.values() if p["lookup_key"] in keys and p["active"]]
    return {"object": "list", "data": data, "has_more": False, "url": "/v1/prices"}


def _error(status: int, message: str) -> tuple[int, dict]:
    return status, {"error": {"type": "invalid_request_error", "message": message}}


def _answer_for(stand_in: StandIn, method: str, path: str, raw_path: str,
                params: dict) -> tuple[int, dict | bytes]:
    """The stand-in's own answer, or localstripe's."""
    if path == "/v1/prices" and method == "GET":
        return 200, _price_list(stand_in, params)
    if path == "/v1/prices" and method == "POST":
        return 200, stand_in.create_price(params)
    if path.startswith("/v1/prices/") and method == "POST":
        price = stand_in.prices[path.rsplit("/", 1)[1]]
        price["active"] = params.get("active", "true") == "true"
        return 200, price
    if path == "/v1/checkout/sessions" and method == "POST":
        if not stand_in.tax_rates_usable(params, "subscription_data[default_tax_rates]"):
            return _error(400, "The tax rate is archived or does not exist.")
        return 200, stand_in.public_session(stand_in.create_session(params))
    if path.startswith("/v1/checkout/sessions/"):
        parts = path.split("/")
        session = stand_in.sessions.get(parts[4])
        if session is None:
            return _error(404, "No such checkout session")
        if len(parts) == 6 and parts[5] == "expire" and method == "POST":
            if session["status"] != "open":
                return _error(400, "Only open sessions can be expired.")
            session["status"] = "expired"
        return 200, stand_in.public_session(session)
    if path.startswith("/_dev/checkout/") and path.endswith("/complete") and method == "POST":
        session_id = path.split("/")[3]
        if session_id not in stand_in.sessions:
            return _error(404, "No such checkout session")
        return 200, stand_in.complete_checkout(session_id)
    if path == "/v1/billing_portal/sessions":
        return 200, {"id": "bps_1", "object": "billing_portal.session",
                     "url": f"{stand_in.url}/portal/bps_1"}
    if path == "/v1/subscriptions" and params.get("collection_method") == "send_invoice":
        if not stand_in.tax_rates_usable(params, "default_tax_rates"):
            return _error(400, "The tax rate is archived or does not exist.")
        return 200, stand_in.invoice_subscription(params)
    if path == "/v1/subscriptions" and method == "GET":
        return 200, stand_in.listed_subscriptions(*stand_in.forward("GET", raw_path, b""),
                                                  params.get("customer"))
    sub_id = path.rsplit("/", 1)[1] if path.startswith("/v1/subscriptions/") else ""
    if sub_id in stand_in.subscriptions and method == "GET":
        return 200, stand_in.subscriptions[sub_id]
    translated = ("items[", "subscription_details[")
    forwarded = {
        k.replace("][price]", "][plan]") if k.startswith(translated) else k: v
        for k, v in params.items()
    }
    if method == "GET":
        return stand_in.forward("GET", raw_path, b"")
    return stand_in.forward(method, path, urlencode(forwarded).encode())


def handler(stand_in: StandIn):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, payload: dict | bytes, kind="application/json"):
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self, method: str):
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            params = dict(parse_qsl(body.decode() if method == "POST" else parts.query))
            key = self.headers.get("Idempotency-Key")
            stand_in.requests.append({"method": method, "path": parts.path, "params": params,
                                      "idempotency_key": key})
            for prefix, hook in list(stand_in.during.items()):
                if method == "POST" and parts.path.startswith(prefix):
                    hook(parts.path)  # tests: look at the database while Stripe "works"
            replay = (method, parts.path, key)
            if key and replay in stand_in.replies:
                return self._answer(*stand_in.replies[replay])
            status, payload = _answer_for(stand_in, method, parts.path, self.path, params)
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            if key and method == "POST":
                stand_in.replies[replay] = (status, body)
            if parts.path in stand_in.drop_after:
                # The work is done, the answer is lost on the way back (tests).
                stand_in.drop_after.discard(parts.path)
                self.close_connection = True
                return None
            return self._answer(status, body)

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

        def do_DELETE(self):
            self._handle("DELETE")

    return Handler
