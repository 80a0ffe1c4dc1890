"""``flask --app eap reconcile-stripe``: compare every contract with Stripe, optionally repair.

Webhooks keep contracts current, but an event can be lost for good (an endpoint down for
longer than Stripe retries, a bug fixed later). Nightly, this compares each contract that has
a subscription — status, seats, price (package and interval), period end — and the customer's
paid invoices with the local ones. It prints what differs (ids and values only, no names) and,
with ``apply``, copies Stripe's view onto the local side, one transaction per contract. Stripe
is never changed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from eap.billing import contracts, events, gateway, statuses
from eap.billing.models import Contract, Invoice
from eap.billing.stripe_objects import SubscriptionState
from eap.extensions import db
from eap.packages.models import ServicePackage


@dataclass
class Finding:
    contract_id: int
    differences: list[str] = field(default_factory=list)
    error: str | None = None


class Prices:
    """Price id ⇄ (package, interval), asked of Stripe once per run."""

    def __init__(self) -> None:
        self.by_id: dict[str, tuple[int, str]] | None = None

    def of(self, price_id: str) -> tuple[int, str] | None:
        if self.by_id is None:
            self.by_id = {}
            for package in db.session.scalars(sa.select(ServicePackage)):
                for interval in ("month", "year"):
                    found = gateway.find_price(package.slug, interval)
                    if found:
                        self.by_id[found["id"]] = (package.id, interval)
        return self.by_id.get(price_id)


def contract_ids() -> list[int]:
    return list(db.session.scalars(
        sa.select(Contract.id).where(Contract.stripe_subscription_id.is_not(None))
        .order_by(Contract.id)
    ))


def _stamp(value: datetime | None) -> int | None:
    if value is None:
        return None
    return int(value.timestamp())


def differences(contract: Contract, state: SubscriptionState, prices: Prices,
                paid: list[dict]) -> list[str]:
    found = []
    status = statuses.from_stripe(state.status, state.cancel_at_period_end)
    if status != contract.status:
        found.append(f"status local {contract.status}, stripe {status}")
    if state.quantity and state.quantity != contract.seats:
        found.append(f"seats local {contract.seats}, stripe {state.quantity}")
    plan = prices.of(state.price_id)
    if plan is not None and plan != (contract.package_id, contract.interval):
        found.append(f"price local package {contract.package_id}/{contract.interval}, "
                     f"stripe package {plan[0]}/{plan[1]}")
    end = state.current_period_end
    if end and _stamp(contract.current_period_end) != int(end):
        found.append(f"period end local {_stamp(contract.current_period_end)}, stripe {end}")
    local = {row.stripe_invoice_id: row.status for row in db.session.scalars(
        sa.select(Invoice).where(Invoice.contract_id == contract.id))}
    for invoice in paid:
        if invoice["id"] not in local:
            found.append(f"invoice {invoice['id']} paid at stripe, missing locally")
        elif local[invoice["id"]] != "paid":
            found.append(f"invoice {invoice['id']} local {local[invoice['id']]}, stripe paid")
    return found


def _paid_invoices(contract: Contract) -> list[dict]:
    """The customer's paid invoices that belong to this contract's subscription."""
    if not contract.stripe_customer_id:
        return []
    return [i for i in gateway.list_paid_invoices(contract.stripe_customer_id)
            if events.invoice_subscription(i) == contract.stripe_subscription_id]


def check(contract_id: int, prices: Prices, apply: bool) -> Finding:
    """Compare one contract; with ``apply`` repair it (flushed; the caller commits)."""
    finding = Finding(contract_id)
    contract = db.session.get(Contract, contract_id)
    try:
        state = gateway.fetch_subscription(contract.stripe_subscription_id)
        paid = _paid_invoices(contract)
    except gateway.GatewayError as error:
        finding.error = f"stripe: {error}"
        return finding
    finding.differences = differences(contract, state, prices, paid)
    if apply and finding.differences:
        locked = contracts.lock(contract_id)
        now = int(time.time())
        contracts.apply_subscription(locked, state, created=None)
        plan = prices.of(state.price_id)
        if plan is not None:
            locked.package_id, locked.interval = plan
        for invoice in paid:
            events.record_invoice(locked, invoice, now)
        db.session.flush()
    return finding


def run(apply: bool) -> Iterator[Finding]:
    """Every contract's finding, one at a time (the CLI commits after each)."""
    prices = Prices()
    for contract_id in contract_ids():
        yield check(contract_id, prices, apply)
