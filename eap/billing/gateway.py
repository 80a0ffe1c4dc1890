"""The one module that talks to Stripe (DESIGN.md §4). Nothing else imports ``stripe``.

Every function configures the SDK from the app config (``STRIPE_SECRET_KEY``, and
``STRIPE_API_BASE`` to point it at a local emulator in tests), never retries on its own, and turns
any Stripe error into ``GatewayError`` — logged by error type only, never with personal data.

Every call that creates or changes something takes an idempotency key derived from what the
portal committed before the call (the contract id and its version): if the answer is lost, the
same call again returns the first result instead of a second customer or subscription.
"""

from __future__ import annotations

import json
import logging
import time

import stripe
from flask import current_app

from eap.billing.stripe_objects import SubscriptionState, subscription_state

log = logging.getLogger(__name__)
# The SDK logs every request's URL at INFO, customer and subscription ids included; our own
# lines above say what failed without them.
logging.getLogger("stripe").setLevel(logging.WARNING)

WEBHOOK_TOLERANCE = 300  # seconds, in the past and (checked here) in the future
PAYMENT_METHODS = ["card", "sepa_debit"]
INVOICE_DAYS_UNTIL_DUE = 14


class GatewayError(RuntimeError):
    """Stripe refused or could not be reached; the caller shows a friendly message."""


class CatalogueIncomplete(GatewayError):
    """A package's price or the VAT rate is missing at Stripe: ``flask sync-stripe`` was not run."""

    def __init__(self, what: str):
        super().__init__(what)
        log.error("stripe catalogue incomplete (%s): run `flask --app eap sync-stripe`", what)


class WebhookRejected(ValueError):
    """A webhook request that is not a genuine, fresh Stripe event."""


def _configure() -> None:
    config = current_app.config
    stripe.api_key = config["STRIPE_SECRET_KEY"]
    stripe.api_base = config.get("STRIPE_API_BASE") or "https://api.stripe.com"
    stripe.max_network_retries = 0


def _call(what: str, function, *args, **kwargs):
    _configure()
    try:
        return function(*args, **kwargs)
    except stripe.StripeError as error:
        # The error class and Stripe's code only: messages may quote customer data.
        log.warning("stripe %s failed: %s %s", what, type(error).__name__, error.code or "")
        raise GatewayError(what) from error


def _plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


# --- customers, prices, products ---------------------------------------------------------


def create_customer(
    name: str, email: str, address: dict, organisation_id: int, idempotency_key: str
) -> str:
    customer = _call(
        "customer.create",
        stripe.Customer.create,
        name=name,
        email=email,
        address=address,
        preferred_locales=["de"],
        metadata={"organisation_id": str(organisation_id)},
        idempotency_key=idempotency_key,
    )
    return customer["id"]


def lookup_key(slug: str, interval: str) -> str:
    return f"{slug}_{interval}"


def find_price(slug: str, interval: str) -> dict | None:
    """The active price with lookup key ``<slug>_<interval>``, or None."""
    found = _call(
        "price.list",
        stripe.Price.list,
        lookup_keys=[lookup_key(slug, interval)],
        active=True,
        limit=1,
    )
    data = _plain(found).get("data") or []
    return data[0] if data else None


def price_id(slug: str, interval: str) -> str:
    price = find_price(slug, interval)
    if price is None:
        raise CatalogueIncomplete("price.missing")
    return price["id"]


def sync_product(slug: str, name: str, description: str, active: bool) -> str:
    """Create or update the product ``eap_<slug>``; returns its id."""
    product_id = f"eap_{slug}"
    fields = {"name": name, "description": description, "active": active}
    _configure()
    try:
        stripe.Product.retrieve(product_id)
    except stripe.InvalidRequestError:
        return _call("product.create", stripe.Product.create, id=product_id, **fields)["id"]
    except stripe.StripeError as error:
        raise GatewayError("product.retrieve") from error
    return _call("product.modify", stripe.Product.modify, product_id, **fields)["id"]


def sync_price(product_id: str, slug: str, interval: str, cents: int, active: bool) -> str:
    """Make the price behind ``<slug>_<interval>`` match; prices are immutable, so a new
    amount means a new price that takes over the lookup key. Returns "kept"/"created"/..."""
    current = find_price(slug, interval)
    if current and current["unit_amount"] == cents and current["product"] == product_id:
        if not active:
            _call("price.modify", stripe.Price.modify, current["id"], active=False)
            return "deactivated"
        return "kept"
    if not active:
        return "absent"
    _call(
        "price.create",
        stripe.Price.create,
        product=product_id,
        currency="eur",
        unit_amount=cents,
        recurring={"interval": interval},
        lookup_key=lookup_key(slug, interval),
        transfer_lookup_key=True,
        tax_behavior="exclusive",
    )
    if current:
        _call("price.modify", stripe.Price.modify, current["id"], active=False)
        return "replaced"
    return "created"


# --- VAT ----------------------------------------------------------------------------------
VAT_TAG = "vat_de_19"  # metadata["eap"] of the tax rate that sync-stripe keeps
VAT_PERCENT = 19.0


def _tagged_vat_rate() -> dict | None:
    rates = _plain(_call("tax_rate.list", stripe.TaxRate.list, limit=100)).get("data") or []
    for rate in rates:
        if (rate.get("active") is True and (rate.get("metadata") or {}).get("eap") == VAT_TAG
                and float(rate.get("percentage") or 0) == VAT_PERCENT
                and not rate.get("inclusive")):
            return rate
    return None


def sync_vat_rate() -> tuple[str, str]:
    """Keep one exclusive 19 % German VAT rate at Stripe; returns (its id, "kept"/"created")."""
    found = _tagged_vat_rate()
    if found:
        return found["id"], "kept"
    created = _call(
        "tax_rate.create", stripe.TaxRate.create, display_name="USt.",
        description="Umsatzsteuer 19 %", jurisdiction="DE", percentage=VAT_PERCENT,
        inclusive=False, metadata={"eap": VAT_TAG},
    )
    return created["id"], "created"


VAT_RATE_LIFETIME = 300  # seconds; sync-stripe may replace the rate at any time


def vat_rates() -> list[str]:
    """The VAT rate every subscription carries: ``EAP_STRIPE_TAX_RATE_ID`` when set, else the
    one sync-stripe keeps, remembered for a few minutes. Never silently none."""
    configured = current_app.config["STRIPE_TAX_RATE_ID"]
    if configured:
        return [configured]
    cache = current_app.extensions.setdefault("eap_vat_rate", {})
    if "id" not in cache or time.monotonic() - cache["at"] > VAT_RATE_LIFETIME:
        found = _tagged_vat_rate()
        if found is None:
            cache.clear()
            raise CatalogueIncomplete("tax_rate.missing")
        cache.update(id=found["id"], at=time.monotonic())
    return [cache["id"]]


def _with_vat(what: str, create):
    """``create(rates)``; if Stripe refuses, the remembered rate may have been replaced by
    sync-stripe meanwhile: look it up again and try once more when it changed."""
    rates = vat_rates()
    try:
        return create(rates)
    except GatewayError:
        current_app.extensions.get("eap_vat_rate", {}).clear()
        fresh = vat_rates()
        if fresh == rates:
            raise
        log.info("stripe %s: VAT rate was replaced; retrying with the current one", what)
        return create(fresh)


# --- subscriptions -----------------------------------------------------------------------


def create_checkout_session(
    customer: str, price: str, seats: int, contract_id: int, success_url: str, cancel_url: str,
    idempotency_key: str,
) -> tuple[str, str]:
    """A Checkout Session in subscription mode; returns (session id, its URL at Stripe)."""
    metadata = {"contract_id": str(contract_id)}

    def create(rates):
        return _call(
            "checkout.create",
            stripe.checkout.Session.create,
            mode="subscription",
            customer=customer,
            client_reference_id=str(contract_id),
            line_items=[{"price": price, "quantity": seats}],
            payment_method_types=PAYMENT_METHODS,
            subscription_data={"metadata": metadata, "default_tax_rates": rates},
            metadata=metadata,
            locale="auto",
            success_url=success_url,
            cancel_url=cancel_url,
            # A retry with another VAT rate is another request: it needs its own key.
            idempotency_key=f"{idempotency_key}-{rates[0]}",
        )

    session = _with_vat("checkout.create", create)
    return session["id"], session["url"]


def checkout_session(session_id: str) -> tuple[str, str | None]:
    """(status, url) of a Checkout Session: "open", "complete" or "expired"."""
    session = _call("checkout.retrieve", stripe.checkout.Session.retrieve, session_id)
    return session["status"], session["url"]


def expire_checkout_session(session_id: str) -> str:
    """Close an open session so it can no longer be paid; returns its status afterwards."""
    status, _url = checkout_session(session_id)
    if status != "open":
        return status
    return _call("checkout.expire", stripe.checkout.Session.expire, session_id)["status"]


def create_invoice_subscription(
    customer: str, price: str, seats: int, contract_id: int, idempotency_key: str
) -> SubscriptionState:
    """A subscription Stripe collects by sending invoices, due in 14 days."""

    def create(rates):
        return _call(
            "subscription.create",
            stripe.Subscription.create,
            customer=customer,
            items=[{"price": price, "quantity": seats}],
            collection_method="send_invoice",
            days_until_due=INVOICE_DAYS_UNTIL_DUE,
            metadata={"contract_id": str(contract_id)},
            default_tax_rates=rates,
            idempotency_key=f"{idempotency_key}-{rates[0]}",
        )

    return subscription_state(_plain(_with_vat("subscription.create", create)))


def fetch_subscription(subscription_id: str) -> SubscriptionState:
    return subscription_state(
        _plain(_call("subscription.retrieve", stripe.Subscription.retrieve, subscription_id))
    )


def change_seats(subscription_id: str, seats: int, idempotency_key: str) -> None:
    """New quantity; Stripe's default proration_behavior (create_prorations) applies."""
    item = fetch_subscription(subscription_id).item_id
    _call("item.modify", stripe.SubscriptionItem.modify, item, quantity=seats,
          idempotency_key=idempotency_key)


def change_price(subscription_id: str, price: str, seats: int, idempotency_key: str) -> None:
    """Another price for the item. The quantity is sent too: an item update without one may
    come back with a different quantity (the emulator resets it to 1)."""
    item = fetch_subscription(subscription_id).item_id
    _call(
        "subscription.modify",
        stripe.Subscription.modify,
        subscription_id,
        items=[{"id": item, "price": price, "quantity": seats}],
        idempotency_key=idempotency_key,
    )


def set_cancel_at_period_end(subscription_id: str, cancel: bool, idempotency_key: str) -> None:
    _call(
        "subscription.modify",
        stripe.Subscription.modify,
        subscription_id,
        cancel_at_period_end=cancel,
        idempotency_key=idempotency_key,
    )


def preview_seats(customer: str, subscription_id: str, seats: int) -> dict:
    """What the next invoice would be after a seat change: Stripe's upcoming-invoice preview.

    Returns {"amount_due": cents, "total": cents, "proration": cents} (proration: the part of
    the lines that settles the rest of the current period)."""
    current = fetch_subscription(subscription_id)
    item = {"id": current.item_id, "price": current.price_id, "quantity": seats}
    preview = _plain(_call(
        "invoice.preview",
        stripe.Invoice.create_preview,
        customer=customer,
        subscription=subscription_id,
        subscription_details={"items": [item]},
    ))
    lines = (preview.get("lines") or {}).get("data") or []
    proration = sum(int(line.get("amount") or 0) for line in lines if _is_proration(line))
    return {"amount_due": int(preview.get("amount_due") or 0),
            "total": int(preview.get("total") or 0), "proration": proration}


def _is_proration(line: dict) -> bool:
    parent = line.get("parent") or {}
    details = parent.get("subscription_item_details") or parent.get("invoice_item_details") or {}
    return bool(line.get("proration") or details.get("proration"))


def list_paid_invoices(customer: str) -> list[dict]:
    """The customer's paid invoices as plain dicts (newest first, up to 100)."""
    found = _call("invoice.list", stripe.Invoice.list, customer=customer, limit=100)
    return [i for i in (_plain(found).get("data") or []) if i.get("status") == "paid"]


def portal_url(customer: str, return_url: str) -> str:
    session = _call(
        "portal.create",
        stripe.billing_portal.Session.create,
        customer=customer,
        return_url=return_url,
    )
    return session["url"]


# --- webhooks ----------------------------------------------------------------------------


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


# --- e-invoices (eap.billing.einvoice) ------------------------------------------------------


def invoice_lines(invoice_id: str) -> list[dict]:
    """Every line of an invoice (a webhook's invoice lists only the first ones)."""
    lines = _call("invoice.lines", stripe.Invoice.list_lines, invoice_id, limit=100)
    return [_plain(line) for line in lines.auto_paging_iter()]


def _payment_intent_id(invoice: dict) -> str | None:
    if invoice.get("payment_intent"):  # older API shape
        return _plain_id(invoice["payment_intent"])
    for payment in ((invoice.get("payments") or {}).get("data") or []):
        found = (payment.get("payment") or {}).get("payment_intent")
        if found:
            return _plain_id(found)
    return None


def _plain_id(value) -> str:
    return value.get("id", "") if isinstance(value, dict) else str(value)


def _listed_payment_intent(invoice_id: str) -> str | None:
    """The current API no longer puts the PaymentIntent on the invoice: its payments list it."""
    payments = _plain(_call("invoice_payment.list", stripe.InvoicePayment.list,
                            invoice=invoice_id, limit=10))
    return _payment_intent_id({"payments": payments})


def invoice_payment(invoice: dict) -> dict | None:
    """How a paid invoice was paid, as far as an e-invoice may say: card (last 4 digits) or
    SEPA direct debit (masked IBAN, mandate reference). None if unknown or Stripe fails."""
    try:
        intent_id = _payment_intent_id(invoice) or _listed_payment_intent(invoice["id"])
        if not intent_id:
            return None
        intent = _plain(_call("payment_intent.retrieve", stripe.PaymentIntent.retrieve,
                              intent_id, expand=["payment_method", "latest_charge"]))
        method = intent.get("payment_method") or {}
        if not isinstance(method, dict):
            return None
        if method.get("type") == "card":
            return {"type": "card", "last4": (method.get("card") or {}).get("last4") or ""}
        if method.get("type") == "sepa_debit":
            debit = method.get("sepa_debit") or {}
            charge = intent.get("latest_charge") or {}
            details = ((charge.get("payment_method_details") or {}).get("sepa_debit") or {}
                       if isinstance(charge, dict) else {})
            reference = debit.get("mandate_reference") or ""  # older objects carry it here
            if details.get("mandate"):
                mandate = _plain(_call("mandate.retrieve", stripe.Mandate.retrieve,
                                       _plain_id(details["mandate"])))
                reference = (((mandate.get("payment_method_details") or {})
                              .get("sepa_debit") or {}).get("reference") or "")
            masked = f"{debit.get('country') or 'DE'}{'*' * 16}{debit.get('last4') or ''}"
            return {"type": "sepa_debit", "iban": masked, "mandate": reference}
    except GatewayError:
        return None
    return None
