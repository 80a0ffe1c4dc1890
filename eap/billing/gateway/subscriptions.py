"""Running subscriptions: created for payment by invoice, read, and changed (seats, package,
cancel at period end), and the preview of what a seat change costs."""

from __future__ import annotations

import stripe

from eap.billing.gateway.client import call, plain
from eap.billing.gateway.tax import with_vat
from eap.billing.stripe_objects import SubscriptionState, subscription_state

INVOICE_DAYS_UNTIL_DUE = 14


def create_invoice_subscription(
    customer: str, price: str, seats: int, contract_id: int, idempotency_key: str
) -> SubscriptionState:
    """A subscription Stripe collects by sending invoices, due in 14 days; the order's own if
    Stripe already has one (an order retried after Stripe forgot the idempotency key, 24 hours,
    still converges to one subscription)."""
    found = call("subscription.list", stripe.Subscription.list, customer=customer,
                 status="all", limit=100)
    for existing in found.auto_paging_iter():
        if (plain(existing).get("metadata") or {}).get("contract_id") == str(contract_id):
            return subscription_state(plain(existing))

    def create(rates):
        return call(
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

    return subscription_state(plain(with_vat("subscription.create", create)))


def fetch_subscription(subscription_id: str) -> SubscriptionState:
    return subscription_state(
        plain(call("subscription.retrieve", stripe.Subscription.retrieve, subscription_id))
    )


def change_seats(subscription_id: str, seats: int, idempotency_key: str) -> None:
    """New quantity; Stripe's default proration_behavior (create_prorations) applies."""
    item = fetch_subscription(subscription_id).item_id
    call("item.modify", stripe.SubscriptionItem.modify, item, quantity=seats,
         idempotency_key=idempotency_key)


def change_price(subscription_id: str, price: str, seats: int, idempotency_key: str) -> None:
    """Another price for the item. The quantity is sent too: an item update without one may
    come back with a different quantity (the emulator resets it to 1)."""
    item = fetch_subscription(subscription_id).item_id
    call(
        "subscription.modify",
        stripe.Subscription.modify,
        subscription_id,
        items=[{"id": item, "price": price, "quantity": seats}],
        idempotency_key=idempotency_key,
    )


def set_cancel_at_period_end(subscription_id: str, cancel: bool, idempotency_key: str) -> None:
    call(
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
    preview = plain(call(
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
