"""Building the two e-invoice formats of a stored Stripe invoice or credit note."""

from __future__ import annotations

from flask import current_app

from eap.billing.einvoice import cii, pdf
from eap.billing.einvoice.models import EInvoiceSource

INTERVAL_NAMES = {"month": "monatlich", "year": "jährlich"}


def seller() -> cii.Seller:
    c = current_app.config
    return cii.Seller(
        name=c["SELLER_NAME"], street=c["SELLER_STREET"], postcode=c["SELLER_POSTCODE"],
        city=c["SELLER_CITY"], country=c["SELLER_COUNTRY"], vat_id=c["SELLER_VAT_ID"],
        email=c["SELLER_EMAIL"], contact=c["SELLER_CONTACT"], phone=c["SELLER_PHONE"],
        iban=c["SELLER_IBAN"].replace(" ", ""), bic=c["SELLER_BIC"],
        creditor_id=c["SELLER_SEPA_CREDITOR_ID"],
    )


def contract_reference(source: EInvoiceSource) -> str:
    return f"EAP-V{source.contract_id}"


def context(source: EInvoiceSource) -> cii.Context:
    contract = source.contract
    organisation = contract.organisation
    buyer = cii.Party(
        name=organisation.name, street=organisation.street, postcode=organisation.postcode,
        city=organisation.city, country=organisation.country or "DE",
        vat_id=organisation.vat_id or None, email=organisation.billing_email,
    )
    interval = INTERVAL_NAMES.get(contract.interval, contract.interval)
    return cii.Context(
        seller=seller(), buyer=buyer,
        # BT-10 is mandatory in XRechnung: the Leitweg-ID if the buyer gave one, else ours.
        buyer_reference=organisation.buyer_reference or contract_reference(source),
        contract_reference=contract_reference(source),
        item_name=f"EAP – {contract.package.name('de')} ({interval})",
    )


def xrechnung(source: EInvoiceSource) -> bytes:
    return cii.build(source.snapshot, context(source), cii.XRECHNUNG)


def zugferd(source: EInvoiceSource) -> bytes:
    snap, ctx = source.snapshot, context(source)
    xml = cii.build(snap, ctx, cii.FACTURX_EN16931)
    return pdf.zugferd(snap, ctx, xml, current_app.config["EINVOICE_FONT"])


def filename(source: EInvoiceSource, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in source.number)
    return f"{safe}-xrechnung.xml" if fmt == "xrechnung" else f"{safe}-zugferd.pdf"


def render(source: EInvoiceSource, fmt: str) -> tuple[bytes, str]:
    """(content, MIME type) of one format: "xrechnung" or "zugferd"."""
    if fmt == "xrechnung":
        return xrechnung(source), "application/xml"
    return zugferd(source), "application/pdf"
