"""The stand-in: a small HTTP server in front of localstripe that answers what it lacks.

It records every request, answers Prices, Checkout Sessions, the customer portal and
subscriptions collected by invoice itself, and forwards everything else to localstripe,
translating the current API's ``items[][price]`` into the emulator's ``items[][plan]`` (each
stand-in price has a localstripe plan of the same id). Like Stripe it replays the first answer
to a request with the same ``Idempotency-Key``. ``complete_checkout`` plays what Stripe does
when a customer pays: a subscription, its first invoice paid, and signed webhook events.

This module keeps the stand-in's state and plays Stripe's part; ``routes`` maps requests to it
(or on to localstripe), ``localstripe_process`` starts the emulator behind it.
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

from eap.billing.emulator.localstripe_process import API_KEY
from eap.billing.emulator.routes import handler
from eap.billing.emulator.signing import deliver, event


class StandIn:
    """The stand-in's state (prices, sessions, invoice subscriptions, recorded requests) and the
    Stripe behaviour localstripe lacks; tests inspect and steer it."""

    def __init__(self, localstripe_port: int, port: int = 0, with_vat_rate: bool = True):
        self.localstripe_port = localstripe_port
        self.requests: list[dict] = []
        self.prices: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.replies: dict[tuple, tuple[int, bytes]] = {}  # idempotency key → first answer
        self.drop_after: set[str] = set()  # paths whose next answer is lost (tests)
        self.during: dict[str, object] = {}  # path prefix → callable run before answering
        self.webhook: tuple[str, str] | None = None  # (portal URL, secret) for events
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        # Tests start with the rate sync-stripe would leave; `make run` lets sync-stripe make it.
        self.vat_rate = self.add_vat_rate() if with_vat_rate else None

    def forget_idempotency_keys(self) -> None:
        """What Stripe does 24 hours after a request: a retry with the same key runs again."""
        self.replies.clear()

    def listed_subscriptions(self, status: int, body: bytes, customer: str | None) -> dict:
        """localstripe's list of subscriptions with the invoice subscriptions held here."""
        listed = json.loads(body) if status == 200 else {
            "object": "list", "data": [], "has_more": False, "url": "/v1/subscriptions"}
        own = [sub for sub in self.subscriptions.values()
               if customer is None or sub["customer"] == customer]
        listed["data"] = own + listed["data"]
        return listed

    def reset(self) -> None:
        self.requests.clear()
        self.prices.clear()
        self.subscriptions.clear()
        self.sessions.clear()
        self.replies.clear()
        self.drop_after.clear()
        self.during.clear()
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

    def forward_json(self, method: str, path: str, params: dict | None = None) -> dict:
        status, body = self.forward(method, path, urlencode(params or {}).encode())
        if status != 200:
            raise RuntimeError(f"localstripe {method} {path}: {status} {body[:200]!r}")
        return json.loads(body)

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

    def tax_rates_usable(self, params: dict, prefix: str) -> bool:
        """Stripe refuses a subscription whose default tax rate is archived or unknown."""
        for key, rate in params.items():
            if key.startswith(prefix):
                status, body = self.forward("GET", f"/v1/tax_rates/{rate}", b"")
                # localstripe echoes an update's "false" as a string
                if status != 200 or json.loads(body).get("active") not in (True, "true"):
                    return False
        return True

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

    def create_session(self, params: dict) -> dict:
        session_id = "cs_test_" + secrets.token_hex(8)
        # The hosted payment page: in development the portal's own "test payment" page.
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(params["success_url"]))
        price = self.prices.get(params.get("line_items[0][price]"), {})
        quantity = int(params.get("line_items[0][quantity]") or 1)
        session = {
            "id": session_id, "object": "checkout.session", "mode": params.get("mode"),
            "status": "open", "payment_status": "unpaid", "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "url": f"{origin}/dev/test-payment/{session_id}",
            "success_url": params["success_url"], "cancel_url": params.get("cancel_url"),
            "currency": "eur", "amount_subtotal": price.get("unit_amount", 0) * quantity,
            "subscription": None,
            "metadata": {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")},
            "_price": price.get("id"), "_quantity": quantity,
            "_tax_rates": [v for k, v in params.items()
                           if k.startswith("subscription_data[default_tax_rates]")],
        }
        self.sessions[session_id] = session
        return session

    def public_session(self, session: dict) -> dict:
        return {k: v for k, v in session.items() if not k.startswith("_")}

    def complete_checkout(self, session_id: str) -> dict:
        """What Stripe does when the customer pays: subscription, paid invoice, webhooks."""
        with self.lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                return self.public_session(session)
            session["status"] = "complete"
        customer = session["customer"]
        self.forward_json("POST", "/v1/payment_methods/pm_card_visa/attach",
                          {"customer": customer})
        self.forward_json("POST", f"/v1/customers/{customer}",
                          {"invoice_settings[default_payment_method]": "pm_card_visa"})
        params = {"customer": customer, "items[0][plan]": session["_price"],
                  "items[0][quantity]": session["_quantity"]}
        params.update({f"metadata[{k}]": v for k, v in session["metadata"].items()})
        params.update({f"default_tax_rates[{i}]": r for i, r in enumerate(session["_tax_rates"])})
        sub = self.forward_json("POST", "/v1/subscriptions", params)
        invoices = self.forward_json("GET", f"/v1/invoices?subscription={sub['id']}")["data"]
        session.update(subscription=sub["id"], payment_status="paid")
        if self.webhook:
            url, secret = self.webhook
            public = self.public_session(session)
            deliver(url, secret, event("checkout.session.completed", public))
            deliver(url, secret, event("customer.subscription.created", self.current_shape(sub)))
            for invoice in invoices[:1]:
                deliver(url, secret, event("invoice.paid", self.invoice_shape(invoice)))
        return self.public_session(session)

    def current_shape(self, sub: dict) -> dict:
        """localstripe's 2017 subscription in today's shape (price and period on the item)."""
        items = []
        for item in sub["items"]["data"]:
            plan = item.get("plan") or {}
            items.append({
                "id": item["id"], "object": "subscription_item",
                "quantity": int(item.get("quantity") or 1),
                "price": self.prices.get(plan.get("id"), {"id": plan.get("id")}),
                "current_period_start": sub.get("current_period_start"),
                "current_period_end": sub.get("current_period_end"),
            })
        return {**sub, "items": {"object": "list", "data": items}}

    def invoice_shape(self, invoice: dict) -> dict:
        subscription = invoice.get("subscription")
        return {**invoice, "status": "paid", "number": invoice.get("number") or invoice["id"],
                "parent": {"type": "subscription_details",
                           "subscription_details": {"subscription": subscription}}}
