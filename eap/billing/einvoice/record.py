"""Keeping Stripe's finalised invoices and credit notes for the e-invoices, at webhook time.

``after_event`` is the one call the webhook processing makes into this package: after the
event's own handler ran (in the same transaction), it stores what the e-invoice needs of an
invoice the portal keeps, or of a credit note of such an invoice. Ids and types only are logged.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import sqlalchemy as sa

from eap.billing import gateway
from eap.billing.einvoice import snapshot
from eap.billing.einvoice.models import EInvoiceSource
from eap.billing.models import Invoice
from eap.extensions import db

log = logging.getLogger(__name__)

INVOICE_EVENTS = ("invoice.finalized", "invoice.paid", "invoice.payment_failed")
CREDIT_NOTE_EVENTS = ("credit_note.created", "credit_note.updated")


def after_event(event: dict, outcome: str) -> str:
    """Record the e-invoice source of an invoice or credit note event; returns the outcome."""
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    created = int(event.get("created") or 0)
    if kind in INVOICE_EVENTS and outcome == "applied":
        record_invoice(obj, created)
    elif kind in CREDIT_NOTE_EVENTS and outcome == "ignored":
        return "applied" if record_credit_note(obj, created) else outcome
    return outcome


def _source(stripe_id: str) -> EInvoiceSource | None:
    return db.session.scalar(sa.select(EInvoiceSource).where(EInvoiceSource.stripe_id == stripe_id))


def _stamp(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _store(contract_id: int, snap: dict, created: int) -> EInvoiceSource | None:
    source = _source(snap["id"])
    if source is None:
        source = EInvoiceSource(contract_id=contract_id, stripe_id=snap["id"], kind=snap["kind"])
        db.session.add(source)
    elif created < source.stripe_event_created:
        return None  # an older event arriving late
    else:
        known = source.snapshot.get("payment")
        snap["payment"] = snap.get("payment") or known
    source.stripe_event_created = created
    source.number = snap["number"][:80]
    source.issued_at = _stamp(snap["created"])
    source.data = json.dumps(snap, sort_keys=True)
    db.session.flush()
    return source


def record_invoice(obj: dict, created: int) -> EInvoiceSource | None:
    if obj.get("status") in (None, "draft") or not obj.get("id"):
        return None
    row = db.session.scalar(sa.select(Invoice).where(Invoice.stripe_invoice_id == obj["id"]))
    if row is None:
        return None
    if (obj.get("lines") or {}).get("has_more"):
        obj = {**obj, "lines": {"data": gateway.invoice_lines(obj["id"]), "has_more": False}}
    payment = None
    if obj.get("status") == "paid" and obj.get("collection_method") != "send_invoice":
        payment = gateway.invoice_payment(obj)
    return _store(row.contract_id, snapshot.invoice(obj, payment), created)


def record_credit_note(obj: dict, created: int) -> EInvoiceSource | None:
    invoice_id = obj.get("invoice")
    invoice_id = invoice_id.get("id") if isinstance(invoice_id, dict) else invoice_id
    original = _source(invoice_id or "")
    if original is None or not obj.get("id") or obj.get("status") == "void":
        return None
    snap = snapshot.credit_note(obj, original.number, int(original.snapshot.get("created") or 0))
    if (obj.get("lines") or {}).get("has_more"):
        log.warning("credit note %s has more lines than the event lists", obj["id"])
    return _store(original.contract_id, snap, created)
