"""Paid invoices: the list for reconciling, and every line and the payment means for the
e-invoices (eap.billing.einvoice)."""

from __future__ import annotations

import stripe

from eap.billing.gateway.client import GatewayError, call, plain, plain_id


def list_paid_invoices(customer: str) -> list[dict]:
    """The customer's paid invoices as plain dicts (newest first, up to 100)."""
    found = call("invoice.list", stripe.Invoice.list, customer=customer, limit=100)
    return [i for i in (plain(found).get("data") or []) if i.get("status") == "paid"]


def invoice_lines(invoice_id: str) -> list[dict]:
    """Every line of an invoice (a webhook's invoice lists only the first ones)."""
    lines = call("invoice.lines", stripe.Invoice.list_lines, invoice_id, limit=100)
    return [plain(line) for line in lines.auto_paging_iter()]


def _payment_intent_id(invoice: dict) -> str | None:
    if invoice.get("payment_intent"):  # older API shape
        return plain_id(invoice["payment_intent"])
    for payment in ((invoice.get("payments") or {}).get("data") or []):
        found = (payment.get("payment") or {}).get("payment_intent")
        if found:
            return plain_id(found)
    return None


def _listed_payment_intent(invoice_id: str) -> str | None:
    """The current API no longer puts the PaymentIntent on the invoice: its payments list it."""
    payments = plain(call("invoice_payment.list", stripe.InvoicePayment.list,
                          invoice=invoice_id, limit=10))
    return _payment_intent_id({"payments": payments})


def invoice_payment(invoice: dict) -> dict | None:
    """How a paid invoice was paid, as far as an e-invoice may say: card (last 4 digits) or
    SEPA direct debit (masked IBAN, mandate reference). None if unknown or Stripe fails."""
    try:
        intent_id = _payment_intent_id(invoice) or _listed_payment_intent(invoice["id"])
        if not intent_id:
            return None
        intent = plain(call("payment_intent.retrieve", stripe.PaymentIntent.retrieve,
                            intent_id, expand=["payment_method", "latest_charge"]))
        method = intent.get("payment_method") or {}
        if not isinstance(method, dict):
            return None
        if method.get("type") == "card":
            return {"type": "card", "last4": (method.get("card") or {}).get("last4") or ""}
        if method.get("type") == "sepa_debit":
            return _sepa_debit(method.get("sepa_debit") or {}, intent.get("latest_charge") or {})
    except GatewayError:
        return None
    return None


def _sepa_debit(debit: dict, charge) -> dict:
    """The masked IBAN and the mandate reference of a SEPA direct debit."""
    details = ((charge.get("payment_method_details") or {}).get("sepa_debit") or {}
               if isinstance(charge, dict) else {})
    reference = debit.get("mandate_reference") or ""  # older objects carry it here
    if details.get("mandate"):
        mandate = plain(call("mandate.retrieve", stripe.Mandate.retrieve,
                             plain_id(details["mandate"])))
        reference = (((mandate.get("payment_method_details") or {})
                      .get("sepa_debit") or {}).get("reference") or "")
    masked = f"{debit.get('country') or 'DE'}{'*' * 16}{debit.get('last4') or ''}"
    return {"type": "sepa_debit", "iban": masked, "mandate": reference}
