"""Customers, Checkout Sessions and the customer portal: where an HR user pays at Stripe."""

from __future__ import annotations

import stripe

from eap.billing.gateway.client import call, plain
from eap.billing.gateway.tax import with_vat

PAYMENT_METHODS = ["card", "sepa_debit"]


def create_customer(
    name: str, email: str, address: dict, organisation_id: int, idempotency_key: str,
    contract_id: int | None = None,
) -> str:
    """The order's customer. Stripe forgets an idempotency key after 24 hours, so a customer
    already made for this order (``metadata.contract_id``) is looked up first: an order retried
    days later still converges to one customer."""
    if contract_id is not None:
        existing = order_customer(email, contract_id)
        if existing:
            return existing
    customer = call(
        "customer.create",
        stripe.Customer.create,
        name=name,
        email=email,
        address=address,
        preferred_locales=["de"],
        metadata={"organisation_id": str(organisation_id),
                  **({"contract_id": str(contract_id)} if contract_id is not None else {})},
        idempotency_key=idempotency_key,
    )
    return customer["id"]


def order_customer(email: str, contract_id: int) -> str | None:
    """The customer Stripe already holds for this order, if any (listed by the billing e-mail,
    matched by the order's id in its metadata)."""
    found = call("customer.list", stripe.Customer.list, email=email, limit=100)
    for customer in found.auto_paging_iter():
        if (plain(customer).get("metadata") or {}).get("contract_id") == str(contract_id):
            return customer["id"]
    return None


def create_checkout_session(
    customer: str, price: str, seats: int, contract_id: int, success_url: str, cancel_url: str,
    idempotency_key: str,
) -> tuple[str, str]:
    """A Checkout Session in subscription mode; returns (session id, its URL at Stripe)."""
    metadata = {"contract_id": str(contract_id)}

    def create(rates):
        return call(
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

    session = with_vat("checkout.create", create)
    return session["id"], session["url"]


def checkout_session(session_id: str) -> tuple[str, str | None]:
    """(status, url) of a Checkout Session: "open", "complete" or "expired"."""
    session = call("checkout.retrieve", stripe.checkout.Session.retrieve, session_id)
    return session["status"], session["url"]


def expire_checkout_session(session_id: str) -> str:
    """Close an open session so it can no longer be paid; returns its status afterwards."""
    status, _url = checkout_session(session_id)
    if status != "open":
        return status
    return call("checkout.expire", stripe.checkout.Session.expire, session_id)["status"]


def portal_url(customer: str, return_url: str) -> str:
    session = call(
        "portal.create",
        stripe.billing_portal.Session.create,
        customer=customer,
        return_url=return_url,
    )
    return session["url"]
