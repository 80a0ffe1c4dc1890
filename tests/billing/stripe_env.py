"""Stripe for tests: the localstripe emulator plus a stand-in for what it lacks.

The app's ``STRIPE_API_BASE`` points at the stand-in, a small HTTP server that records every
request the gateway sends. It answers itself for the endpoints the emulator does not have
(Prices, Checkout Sessions, the Customer Portal, subscriptions collected by invoice) and
forwards everything else to localstripe, translating the current API's ``items[][price]`` into
the emulator's ``items[][plan]`` (each stand-in price has a localstripe plan of the same id).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.mailbox import free_port

LAUNCHER = Path(__file__).with_name("localstripe_launcher.py")
API_KEY = "sk_test_emulator"
WEBHOOK_SECRET = "whsec_test_secret"
NOWHERE = "http://127.0.0.1:9"  # the discard port, closed: Stripe calls fail at once, locally


def start_localstripe() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(LAUNCHER), str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            try:
                connection.request("GET", "/v1/customers")
                connection.getresponse().read()
                return process, port
            finally:
                connection.close()
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("localstripe did not start")


class StandIn:
    def __init__(self, localstripe_port: int):
        self.localstripe_port = localstripe_port
        self.requests: list[dict] = []
        self.prices: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.vat_rate = self.add_vat_rate()

    def reset(self) -> None:
        self.requests.clear()
        self.prices.clear()
        self.subscriptions.clear()
        self.forward("DELETE", "/_config/data", b"")
        self.vat_rate = self.add_vat_rate()

    def add_vat_rate(self) -> str:
        """The 19 % VAT rate as ``flask sync-stripe`` leaves it (in the emulator)."""
        status, body = self.forward("POST", "/v1/tax_rates", urlencode({
            "display_name": "USt.", "percentage": "19", "inclusive": "false",
            "jurisdiction": "DE", "metadata[eap]": "vat_de_19",
        }).encode())
        assert status == 200, body
        return json.loads(body)["id"]

    def retire_vat_rate(self) -> None:
        self.forward("POST", f"/v1/tax_rates/{self.vat_rate}", b"active=false")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent(self, method: str, path: str) -> list[dict]:
        return [r["params"] for r in self.requests if r["method"] == method and r["path"] == path]

    def forward(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.localstripe_port, timeout=10)
        headers = {
            "Authorization": f"Bearer {API_KEY}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection.request(method, path, body=body, headers=headers)
        try:
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    # --- the endpoints the emulator lacks ----------------------------------------------

    def create_price(self, params: dict) -> dict:
        price_id = "price_" + secrets.token_hex(6)
        key = params.get("lookup_key")
        if key and params.get("transfer_lookup_key") == "true":
            for other in self.prices.values():
                if other["lookup_key"] == key:
                    other["lookup_key"] = None
        price = {
            "id": price_id, "object": "price", "active": True, "currency": params["currency"],
            "unit_amount": int(params["unit_amount"]), "product": params["product"],
            "lookup_key": key, "recurring": {"interval": params["recurring[interval]"]},
        }
        self.prices[price_id] = price
        # The emulator's plan of the same id lets subscriptions use this price.
        self.forward("POST", "/v1/plans", urlencode({
            "id": price_id, "amount": price["unit_amount"], "currency": price["currency"],
            "interval": price["recurring"]["interval"], "product": price["product"],
        }).encode())
        return price

    def add_price(self, slug: str, interval: str, cents: int = 400) -> dict:
        """A product and price as ``flask sync-stripe`` would leave them."""
        product = urlencode({"id": f"eap_{slug}", "name": slug}).encode()
        self.forward("POST", "/v1/products", product)
        return self.create_price({
            "currency": "eur", "unit_amount": str(cents), "product": f"eap_{slug}",
            "lookup_key": f"{slug}_{interval}", "recurring[interval]": interval,
        })

    def invoice_subscription(self, params: dict) -> dict:
        now = int(time.time())
        price = self.prices[params["items[0][price]"]]
        sub = {
            "id": "sub_" + secrets.token_hex(6), "object": "subscription",
            "customer": params["customer"], "status": "active",
            "collection_method": "send_invoice", "days_until_due": int(params["days_until_due"]),
            "cancel_at_period_end": False,
            "metadata": {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")},
            "items": {"object": "list", "data": [{
                "id": "si_" + secrets.token_hex(6), "object": "subscription_item",
                "price": price, "quantity": int(params["items[0][quantity]"]),
                "current_period_start": now, "current_period_end": now + 30 * 86400,
            }]},
        }
        self.subscriptions[sub["id"]] = sub
        return sub


def _price_list(stand_in: StandIn, params: dict) -> dict:
    keys = {v for k, v in params.items() if k.startswith("lookup_keys[")}
    data = [p for p in stand_in.prices.values() if p["lookup_key"] in keys and p["active"]]
    return {"object": "list", "data": data, "has_more": False, "url": "/v1/prices"}


def _handler(stand_in: StandIn):
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
            stand_in.requests.append({"method": method, "path": parts.path, "params": params})
            path = parts.path
            if path.startswith("/checkout/"):
                page = b"<!doctype html><html lang=en><title>Stand-in checkout</title>"
                return self._answer(200, page + b"<main><h1>Stand-in checkout</h1></main>",
                                    "text/html")
            if path == "/v1/prices" and method == "GET":
                return self._answer(200, _price_list(stand_in, params))
            if path == "/v1/prices" and method == "POST":
                return self._answer(200, stand_in.create_price(params))
            if path.startswith("/v1/prices/") and method == "POST":
                price = stand_in.prices[path.rsplit("/", 1)[1]]
                price["active"] = params.get("active", "true") == "true"
                return self._answer(200, price)
            if path == "/v1/checkout/sessions":
                session_id = "cs_test_" + secrets.token_hex(8)
                return self._answer(200, {
                    "id": session_id, "object": "checkout.session", "mode": params.get("mode"),
                    "url": f"{stand_in.url}/checkout/{session_id}",
                })
            if path == "/v1/billing_portal/sessions":
                return self._answer(200, {"id": "bps_1", "object": "billing_portal.session",
                                          "url": f"{stand_in.url}/portal/bps_1"})
            if path == "/v1/subscriptions" and params.get("collection_method") == "send_invoice":
                return self._answer(200, stand_in.invoice_subscription(params))
            sub_id = path.rsplit("/", 1)[1] if path.startswith("/v1/subscriptions/") else ""
            if sub_id in stand_in.subscriptions and method == "GET":
                return self._answer(200, stand_in.subscriptions[sub_id])
            forwarded = {
                k.replace("][price]", "][plan]") if k.startswith("items[") else k: v
                for k, v in params.items()
            }
            if method == "GET":
                status, answer = stand_in.forward("GET", self.path, b"")
            else:
                status, answer = stand_in.forward(method, path, urlencode(forwarded).encode())
            return self._answer(status, answer)

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

        def do_DELETE(self):
            self._handle("DELETE")

    return Handler


# --- signed webhooks in the current Stripe shape --------------------------------------------


def sign(body: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    stamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


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
