"""Applying Stripe webhook events: the source of truth for contract state.

``process`` records the event id in the same transaction as its effect, so a duplicate has
exactly one effect. Subscription events carry the time they were created; an event older than
the newest one applied to a contract changes nothing (out-of-order delivery).

Stripe delivers concurrently, so every handler first locks the contract row it works on
(``SELECT … FOR UPDATE`` on PostgreSQL): events for one contract are applied one after the other
and each sees what the one before committed. SQLite has no row locks; there the contract's
version column (a conditional ``UPDATE … WHERE version = :seen``) makes the later of two
racing writers fail, the endpoint answers 500 and Stripe's retry re-reads. Events for a
customer or subscription the portal does not know are recorded as "ignored" and answered 200:
Stripe would otherwise retry them for days, and there is nothing we could do with them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import sqlalchemy as sa

from eap.billing import contracts
from eap.billing.einvoice import record as einvoice_record
from eap.billing.models import Contract, Invoice, StripeEvent
from eap.billing.stripe_objects import subscription_state
from eap.extensions import db

log = logging.getLogger(__name__)


def process(event: dict) -> str:
    """Apply one verified event; returns "applied", "ignored", "stale" or "duplicate"."""
    if db.session.get(StripeEvent, event["id"]) is not None:
        return "duplicate"
    handler = HANDLERS.get(event.get("type", ""))
    created = int(event.get("created") or 0)
    outcome = handler(event["data"]["object"], created) if handler else "ignored"
    outcome = einvoice_record.after_event(event, outcome)  # docs/einvoices.md
    db.session.add(
        StripeEvent(id=event["id"], type=event["type"][:80], created=created, outcome=outcome)
    )
    db.session.flush()
    # Ids and types only: no names, addresses or amounts in the log.
    log.info("stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return outcome


def _contract(contract_id=None, subscription_id=None, customer_id=None) -> Contract | None:
    """The contract an event is about, locked for the rest of the transaction."""
    found = None
    if contract_id and str(contract_id).isdigit():
        found = db.session.scalar(sa.select(Contract.id).where(Contract.id == int(contract_id)))
    if found is None and subscription_id:
        found = db.session.scalar(
            sa.select(Contract.id).where(Contract.stripe_subscription_id == subscription_id)
        )
    if found is None and customer_id:
        found = db.session.scalar(
            sa.select(Contract.id)
            .where(Contract.stripe_customer_id == customer_id, Contract.status != "ended")
            .order_by(Contract.id.desc())
            .limit(1)
        )
    return contracts.lock(found) if found is not None else None


def already_stored(event_id: str) -> bool:
    """Whether the event id is committed (after a failed transaction, in a fresh one)."""
    return db.session.get(StripeEvent, event_id) is not None


def _id(value) -> str | None:
    return value.get("id") if isinstance(value, dict) else value


def checkout_completed(session: dict, created: int) -> str:
    contract = _contract(session.get("client_reference_id"))
    subscription_id = _id(session.get("subscription"))
    if contract is None or session.get("mode") not in (None, "subscription"):
        return "ignored"
    if contract.stripe_subscription_id and contract.stripe_subscription_id != subscription_id:
        return "ignored"  # a second checkout for a contract that has its subscription
    contract.stripe_subscription_id = subscription_id
    contract.stripe_customer_id = _id(session.get("customer")) or contract.stripe_customer_id
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    if paid and contract.status == "pending" and created >= contract.stripe_event_created:
        contract.status = "active"
    return "applied"


def _subscription_event(subscription: dict, created: int, deleted: bool = False) -> str:
    state = subscription_state(subscription)
    contract = _contract(state.metadata.get("contract_id"), state.id, state.customer)
    if contract is None:
        return "ignored"
    if contract.stripe_subscription_id and contract.stripe_subscription_id != state.id:
        return "ignored"  # another subscription of the same customer: not this contract's
    if not contracts.apply_subscription(contract, state, created, deleted=deleted):
        return "stale"
    items = (subscription.get("items") or {}).get("data") or [{}]
    found = contracts.package_for_lookup_key((items[0].get("price") or {}).get("lookup_key"))
    if found:
        contract.package_id, contract.interval = found[0].id, found[1]
    return "applied"


def subscription_changed(subscription: dict, created: int) -> str:
    return _subscription_event(subscription, created)


def subscription_deleted(subscription: dict, created: int) -> str:
    return _subscription_event(subscription, created, deleted=True)


def invoice_subscription(invoice: dict) -> str | None:
    if invoice.get("subscription"):
        return _id(invoice["subscription"])
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return _id(details.get("subscription"))


def _stamp(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _invoice_event(invoice: dict, created: int, contract_status: str | None) -> str:
    contract = _contract(None, invoice_subscription(invoice), _id(invoice.get("customer")))
    if contract is None:
        return "ignored"
    if not record_invoice(contract, invoice, created):
        return "stale"
    # Invoice events move the contract only when newer than its last subscription event, and
    # do not advance that mark: a subscription update sent just before still applies.
    if contract_status and created >= contract.stripe_event_created:
        if contract_status == "active" and contract.status in ("pending", "past_due"):
            contract.status = "active"
        elif contract_status == "past_due" and contract.status in ("active", "pending"):
            contract.status = "past_due"
    return "applied"


def record_invoice(contract: Contract, invoice: dict, created: int) -> bool:
    """Copy a Stripe invoice onto its local row (created if missing) unless a newer state was
    recorded already; used by the webhooks and by ``reconcile-stripe --apply``."""
    row = db.session.scalar(sa.select(Invoice).where(Invoice.stripe_invoice_id == invoice["id"]))
    if row is None:
        row = Invoice(contract_id=contract.id, stripe_invoice_id=invoice["id"])
        db.session.add(row)
    elif created < row.stripe_event_created:
        return False
    row.stripe_event_created = created
    row.number = invoice.get("number") or row.number or ""
    row.status = invoice.get("status") or row.status
    row.total_cents = int(invoice.get("total") or 0)
    row.amount_due_cents = int(invoice.get("amount_due") or 0)
    row.currency = invoice.get("currency") or "eur"
    row.hosted_invoice_url = invoice.get("hosted_invoice_url") or row.hosted_invoice_url or ""
    row.invoice_pdf = invoice.get("invoice_pdf") or row.invoice_pdf or ""
    row.issued_at = _stamp(invoice.get("created"))
    row.due_at = _stamp(invoice.get("due_date"))
    return True


def invoice_paid(invoice: dict, created: int) -> str:
    return _invoice_event(invoice, created, "active")


def invoice_payment_failed(invoice: dict, created: int) -> str:
    return _invoice_event(invoice, created, "past_due")


def invoice_finalized(invoice: dict, created: int) -> str:
    return _invoice_event(invoice, created, None)


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_deleted,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "invoice.finalized": invoice_finalized,
}
