"""What an e-invoice needs of a Stripe invoice or credit note, read from the webhook's object.

Amounts stay integers in cents, exactly as Stripe computed them (line amounts, VAT per line,
totals): the e-invoice repeats Stripe's figures and never recomputes them. Both the current API
shape (``taxes``, ``pricing``, ``parent``) and the older one (``tax_amounts``, ``price``,
``proration``) that the emulator sends are read.
"""

from __future__ import annotations


def _id(value) -> str:
    return value.get("id", "") if isinstance(value, dict) else (value or "")


def _line_tax(line: dict) -> int:
    if line.get("taxes") is not None:  # current API
        return sum(int(t.get("amount") or 0) for t in line["taxes"])
    return sum(int(t.get("amount") or 0) for t in line.get("tax_amounts") or [])


def _proration(line: dict) -> bool:
    if "proration" in line:
        return bool(line["proration"])
    parent = line.get("parent") or {}
    for key in ("subscription_item_details", "invoice_item_details"):
        if (parent.get(key) or {}).get("proration"):
            return True
    return False


def _lookup_key(line: dict) -> str:
    price = line.get("price") or line.get("plan") or {}
    return price.get("lookup_key") or "" if isinstance(price, dict) else ""


def _invoice_line(line: dict) -> dict:
    period = line.get("period") or {}
    return {
        "description": (line.get("description") or "")[:300],
        "amount": int(line.get("amount") or 0),
        "quantity": int(line.get("quantity") or 1),
        "tax": _line_tax(line),
        "proration": _proration(line),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "lookup_key": _lookup_key(line),
    }


def _tax_total(obj: dict, lines: list[dict]) -> int:
    if obj.get("total_excluding_tax") is not None and obj.get("total") is not None:
        return int(obj["total"]) - int(obj["total_excluding_tax"])
    if obj.get("tax") is not None:
        return int(obj["tax"])
    return sum(line["tax"] for line in lines)


def invoice(obj: dict, payment: dict | None = None) -> dict:
    """A finalised Stripe invoice as the e-invoice builder reads it."""
    lines = [_invoice_line(line) for line in (obj.get("lines") or {}).get("data") or []]
    subtotal = int(obj.get("subtotal") if obj.get("subtotal") is not None
                   else sum(line["amount"] for line in lines))
    return {
        "kind": "invoice",
        "id": obj["id"],
        "number": obj.get("number") or obj["id"],
        "status": obj.get("status") or "",
        "created": int(obj.get("created") or 0),
        "due_date": obj.get("due_date"),
        "currency": (obj.get("currency") or "eur").upper(),
        "collection_method": obj.get("collection_method") or "charge_automatically",
        "period_start": obj.get("period_start"),
        "period_end": obj.get("period_end"),
        "subtotal": subtotal,
        "tax": _tax_total(obj, lines),
        "total": int(obj.get("total") or 0),
        "amount_due": int(obj.get("amount_due") if obj.get("amount_due") is not None
                          else obj.get("total") or 0),
        "lines": lines,
        "lines_complete": not (obj.get("lines") or {}).get("has_more"),
        "payment": payment,
    }


def _credit_line(line: dict) -> dict:
    # A credit note line: amount is what is credited, net of tax, as a positive number.
    amount = int(line.get("amount") or 0)
    if line.get("amount_excluding_tax") is not None:
        amount = int(line["amount_excluding_tax"])
    return {
        "description": (line.get("description") or "")[:300],
        "amount": amount,
        "quantity": int(line.get("quantity") or 1),
        "tax": _line_tax(line),
        "proration": False,
        "period_start": None,
        "period_end": None,
        "lookup_key": "",
    }


def credit_note(obj: dict, invoice_number: str, invoice_created: int) -> dict:
    """A Stripe credit note (a refund or credit of an invoice), amounts positive as Stripe's."""
    lines = [_credit_line(line) for line in (obj.get("lines") or {}).get("data") or []]
    subtotal = int(obj.get("subtotal_excluding_tax") if obj.get("subtotal_excluding_tax")
                   is not None else obj.get("subtotal") or 0)
    total = int(obj.get("total") or 0)
    return {
        "kind": "credit_note",
        "id": obj["id"],
        "number": obj.get("number") or obj["id"],
        "status": obj.get("status") or "issued",
        "created": int(obj.get("created") or 0),
        "due_date": None,
        "currency": (obj.get("currency") or "eur").upper(),
        "collection_method": "credit_note",
        "period_start": None,
        "period_end": None,
        "subtotal": subtotal,
        "tax": total - subtotal,
        "total": total,
        "amount_due": total,
        "lines": lines,
        "lines_complete": not (obj.get("lines") or {}).get("has_more"),
        "payment": {"type": "refund"} if obj.get("refund") or obj.get("refunds") else None,
        "reason": obj.get("reason") or "",
        "invoice_number": invoice_number,
        "invoice_created": invoice_created,
    }
