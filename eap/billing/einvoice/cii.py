"""The EN 16931 invoice in CII syntax, built with ``drafthorse`` from a Stripe snapshot.

One document serves both formats; only the specification identifier (BT-24) differs:
XRechnung 3.0 (the German CIUS) for the XML download, the Factur-X/ZUGFeRD EN 16931 profile
for the XML inside the PDF/A-3. Every amount is Stripe's (cents → euros): line net amounts,
the VAT total and the gross total are never recomputed, so they agree with Stripe's invoice to
the cent; EN 16931 allows the VAT of a category to differ from basis × rate by rounding (BR-CO-17),
which is how Stripe's per-line rounding shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentMeans, PaymentTerms
from drafthorse.models.tradelines import LineItem

XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
FACTURX_EN16931 = "urn:cen.eu:en16931:2017"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01.0"
VAT_PERCENT = Decimal("19.00")
BERLIN = ZoneInfo("Europe/Berlin")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Party:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    vat_id: str | None
    email: str
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Seller(Party):
    iban: str = ""
    bic: str = ""
    creditor_id: str = ""


@dataclass(frozen=True)
class Context:
    """Who and what, besides Stripe's figures: parties, buyer reference, package name."""

    seller: Seller
    buyer: Party
    buyer_reference: str
    contract_reference: str
    item_name: str
    language: str = "de"


def euros(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def day(stamp) -> date | None:
    if not stamp:
        return None
    return datetime.fromtimestamp(int(stamp), UTC).astimezone(BERLIN).date()


def last_day(stamp) -> date | None:
    # Stripe periods end at the first second of the next period: the last day is the one before.
    return day(int(stamp) - 1) if stamp else None


def _party(target, party: Party) -> None:
    target.name = party.name
    target.address.line_one = party.street
    target.address.postcode = party.postcode
    target.address.city_name = party.city
    target.address.country_id = party.country or "DE"
    if party.vat_id:
        target.tax_registrations.add(TaxRegistration(id=("VA", party.vat_id)))
    target.electronic_address.uri_ID = ("EM", party.email)


def line_price(line: dict) -> tuple[Decimal, Decimal, Decimal | None]:
    """(billed quantity, net price, price base quantity) with quantity × price / base equal to
    Stripe's line amount exactly; a credited (negative) line has a negative quantity, since a
    price may not be negative (BR-27)."""
    amount, quantity = int(line["amount"]), max(int(line["quantity"] or 1), 1)
    sign = -1 if amount < 0 else 1
    if abs(amount) % quantity == 0:
        return Decimal(sign * quantity), euros(abs(amount) // quantity), None
    # A prorated amount rarely divides by the seats: the price is given per all seats.
    return Decimal(sign * quantity), euros(abs(amount)), Decimal(quantity)


def _line_item(number: int, line: dict, context: Context, credit: bool) -> LineItem:
    item = LineItem()
    item.document.line_id = str(number)
    item.product.name = context.item_name
    if line["description"]:
        item.product.description = line["description"]
    quantity, price, base = line_price(line)
    item.agreement.net.amount = price
    if base is not None:
        item.agreement.net.basis_quantity = (base, "C62")
    item.delivery.billed_quantity = (quantity, "C62")
    item.settlement.trade_tax.type_code = "VAT"
    item.settlement.trade_tax.category_code = "S"
    item.settlement.trade_tax.rate_applicable_percent = VAT_PERCENT
    start, end = day(line.get("period_start")), last_day(line.get("period_end"))
    if start and end and not credit:
        item.settlement.period.start = start
        item.settlement.period.end = max(start, end)
    item.settlement.monetary_summation.total_amount = euros(line["amount"])
    return item


def terms_text(snap: dict) -> str:
    """The payment terms (BT-20) as the invoice states them."""
    payment = snap.get("payment") or {}
    if snap["kind"] == "credit_note":
        return f"Gutschrift zur Rechnung {snap.get('invoice_number', '')}."
    if snap["collection_method"] == "send_invoice":
        due = day(snap.get("due_date"))
        return "Zahlbar ohne Abzug per Überweisung" + (f" bis {due:%d.%m.%Y}." if due else ".")
    if payment.get("type") == "sepa_debit":
        return ("Der Betrag wird per SEPA-Lastschrift eingezogen (Mandat "
                f"{payment.get('mandate') or '–'}).")
    if payment.get("type") == "card" and payment.get("last4"):
        return f"Bezahlt per Karte (endet auf {payment['last4']})."
    return "Zahlung über Stripe (Karte oder SEPA-Lastschrift)."


def _payment(doc: Document, snap: dict, seller: Seller) -> None:
    """Payment means (BG-16..19) and terms (BT-9, BT-20, BT-89)."""
    settlement = doc.trade.settlement
    means = PaymentMeans()
    payment = snap.get("payment") or {}
    kind = payment.get("type")
    if snap["kind"] == "credit_note":
        means.type_code = "1"
        means.information.add("Erstattung / refund")
    elif snap["collection_method"] == "send_invoice":
        means.type_code = "58"  # SEPA credit transfer to the seller
        means.payee_account.iban = seller.iban
        means.payee_account.account_name = seller.name
        if seller.bic:
            means.payee_institution.bic = seller.bic
    elif kind == "sepa_debit":
        means.type_code = "59"
        means.payer_account.iban = payment.get("iban") or ""
        settlement.creditor_reference_id = seller.creditor_id
    elif kind == "card" and payment.get("last4"):
        means.type_code = "54"
        means.financial_card.id = payment["last4"]
    else:
        means.type_code = "1"
        means.information.add("Stripe")
    settlement.payment_means.add(means)
    payment_terms = PaymentTerms()
    payment_terms.description = terms_text(snap)
    if snap["kind"] == "invoice" and snap.get("due_date"):
        payment_terms.due = day(snap["due_date"])
    if kind == "sepa_debit" and snap["kind"] == "invoice":
        payment_terms.debit_mandate_id = payment.get("mandate") or ""
    settlement.terms.add(payment_terms)


def build(snap: dict, context: Context, guideline: str = XRECHNUNG) -> bytes:
    """The CII XML (UTF-8) of a snapshot made by ``eap.billing.einvoice.snapshot``."""
    credit = snap["kind"] == "credit_note"
    doc = Document()
    doc.context.guideline_parameter.id = guideline
    doc.context.business_parameter.id = PEPPOL_BILLING
    doc.header.id = snap["number"]
    doc.header.type_code = "381" if credit else "380"
    doc.header.issue_date_time = day(snap["created"])
    note = IncludedNote()
    note.content = f"{context.seller.name}, USt-IdNr. {context.seller.vat_id}"
    doc.header.notes.add(note)

    agreement = doc.trade.agreement
    agreement.buyer_reference = context.buyer_reference
    _party(agreement.seller, context.seller)
    agreement.seller.contact.person_name = context.seller.contact
    agreement.seller.contact.telephone.number = context.seller.phone
    agreement.seller.contact.email.address = context.seller.email
    _party(agreement.buyer, context.buyer)
    agreement.contract.issuer_assigned_id = context.contract_reference

    for number, line in enumerate(snap["lines"], start=1):
        doc.trade.items.add(_line_item(number, line, context, credit))

    settlement = doc.trade.settlement
    settlement.currency_code = snap["currency"]
    settlement.payment_reference = snap["number"]
    _payment(doc, snap, context.seller)

    line_total = sum(int(line["amount"]) for line in snap["lines"])
    tax = ApplicableTradeTax()
    tax.calculated_amount = euros(snap["tax"])
    tax.basis_amount = euros(line_total)
    tax.type_code = "VAT"
    tax.category_code = "S"
    tax.rate_applicable_percent = VAT_PERCENT
    settlement.trade_tax.add(tax)

    starts = [line["period_start"] for line in snap["lines"] if line.get("period_start")]
    ends = [line["period_end"] for line in snap["lines"] if line.get("period_end")]
    if starts and ends and not credit:
        settlement.period.start = day(min(starts))
        settlement.period.end = max(day(min(starts)), last_day(max(ends)))
    if credit:
        settlement.invoice_referenced_document.issuer_assigned_id = snap["invoice_number"]
        settlement.invoice_referenced_document.issue_date_time = day(snap["invoice_created"])

    total = line_total + int(snap["tax"])
    due = int(snap["amount_due"])
    summation = settlement.monetary_summation
    summation.line_total = euros(line_total)
    summation.charge_total = euros(0)
    summation.allowance_total = euros(0)
    summation.tax_basis_total = euros(line_total)
    summation.tax_total = (euros(snap["tax"]), snap["currency"])
    summation.grand_total = euros(total)
    summation.prepaid_total = euros(total - due)
    summation.due_amount = euros(due)
    return doc.serialize(schema=None)
