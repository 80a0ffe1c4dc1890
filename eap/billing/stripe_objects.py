"""Stripe's subscription objects read into what the portal keeps (no API calls here).

The gateway (the only package that talks to Stripe) and the webhook handlers both read
subscriptions through ``subscription_state``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubscriptionState:
    """What the portal needs of a Stripe subscription, in either API shape."""

    id: str
    customer: str
    status: str
    cancel_at_period_end: bool
    quantity: int
    price_id: str
    item_id: str
    current_period_start: int | None
    current_period_end: int | None
    metadata: dict


def subscription_state(sub: dict) -> SubscriptionState:
    """Read a subscription in the current shape (price and period on the item) or the older
    one (plan on the item, period on the subscription) that the emulator sends."""
    items = (sub.get("items") or {}).get("data") or [{}]
    item = items[0]
    price = item.get("price") or item.get("plan") or {}
    return SubscriptionState(
        id=sub["id"],
        customer=_id(sub.get("customer")),
        status=sub.get("status", ""),
        cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
        quantity=int(item.get("quantity") or sub.get("quantity") or 0),
        price_id=_id(price),
        item_id=item.get("id", ""),
        current_period_start=item.get("current_period_start") or sub.get("current_period_start"),
        current_period_end=item.get("current_period_end") or sub.get("current_period_end"),
        metadata=dict(sub.get("metadata") or {}),
    )


def _id(value) -> str:
    if isinstance(value, dict):
        return value.get("id", "")
    return value or ""
