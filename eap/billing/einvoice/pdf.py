"""ZUGFeRD / Factur-X: a readable PDF/A-3 (fpdf2, embedded TrueType font, sRGB output intent)
with the EN 16931 CII XML embedded and checked against the Factur-X XSD by ``factur-x``.

The picture shows the same figures as the XML (they come from the same snapshot); the XML is
the legally relevant part of the invoice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from facturx import generate_from_binary
from fpdf import FPDF, FontFace

from eap.billing.einvoice.cii import (
    BERLIN,
    Context,
    day,
    euros,
    last_day,
    line_price,
    terms_text,
)


def _money(cents: int) -> str:
    text = f"{euros(cents):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} €"


def _decimal(value: Decimal) -> str:
    return f"{value:f}".replace(".", ",")


def _date(stamp) -> str:
    found = day(stamp)
    return f"{found:%d.%m.%Y}" if found else "–"


def _period(line: dict) -> str:
    if not line.get("period_start") or not line.get("period_end"):
        return ""
    start, end = day(line["period_start"]), last_day(line["period_end"])
    return f"{start:%d.%m.%Y} – {max(start, end):%d.%m.%Y}"


class _Invoice(FPDF):
    def __init__(self, font: str):
        super().__init__(format="A4", enforce_compliance="PDFA_3B")
        self.add_font("DejaVu", "", font)
        self.set_font("DejaVu", size=10)
        self.set_lang("de-DE")
        self.set_auto_page_break(True, margin=20)


def picture(snap: dict, context: Context, font: str) -> bytes:
    """The human-readable invoice as PDF/A-3b (before the XML is attached)."""
    credit = snap["kind"] == "credit_note"
    seller, buyer = context.seller, context.buyer
    title = "Gutschrift" if credit else "Rechnung"
    pdf = _Invoice(font)
    pdf.set_title(f"{title} {snap['number']}")
    pdf.set_author(seller.name)
    pdf.set_creation_date(datetime.fromtimestamp(int(snap["created"]), UTC).astimezone(BERLIN))
    pdf.add_page()
    pdf.set_font_size(8)
    pdf.cell(0, 5, f"{seller.name} · {seller.street} · {seller.postcode} {seller.city}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(10)
    pdf.ln(2)
    for text in (buyer.name, buyer.street, f"{buyer.postcode} {buyer.city}"):
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font_size(16)
    pdf.cell(0, 9, f"{title} {snap['number']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(10)
    facts = [("Datum", _date(snap["created"])), ("Ihre Referenz / Leitweg-ID",
             context.buyer_reference), ("Vertrag", context.contract_reference)]
    if buyer.vat_id:
        facts.append(("Ihre USt-IdNr.", buyer.vat_id))
    if credit:
        facts.append(("Zur Rechnung", f"{snap['invoice_number']} vom "
                      f"{_date(snap['invoice_created'])}"))
    for label, value in facts:
        pdf.cell(60, 5, label)
        pdf.cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (95, 22, 30, 33)
    heading = FontFace(emphasis="")
    with pdf.table(col_widths=widths, text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   headings_style=heading) as table:
        table.row(["Leistung", "Menge", "Einzelpreis", "Netto"])
        for line in snap["lines"]:
            quantity, price, base = line_price(line)
            unit = _money(int(price * 100)) + (f" / {_decimal(base)}" if base else "")
            text = "\n".join(t for t in (context.item_name, line["description"],
                                         _period(line)) if t)
            table.row([text, _decimal(quantity), unit, _money(line["amount"])])
    pdf.ln(4)
    due = int(snap["amount_due"])
    line_total = sum(int(line["amount"]) for line in snap["lines"])
    total = line_total + int(snap["tax"])
    sums = [("Summe netto", line_total), ("Umsatzsteuer 19 %", int(snap["tax"])),
            ("Gesamtbetrag", total)]
    if total != due:
        sums += [("Bereits verrechnet", total - due), ("Zu zahlen", due)]
    for label, cents in sums:
        pdf.cell(147, 6, label, align="R")
        pdf.cell(33, 6, _money(cents), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 5, terms_text(snap), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font_size(8)
    footer = (f"{seller.name} · {seller.street} · {seller.postcode} {seller.city} · "
              f"USt-IdNr. {seller.vat_id} · IBAN {seller.iban} · BIC {seller.bic} · "
              f"{seller.email} · {seller.phone}")
    pdf.multi_cell(0, 4, footer)
    return bytes(pdf.output())


def zugferd(snap: dict, context: Context, xml: bytes, font: str) -> bytes:
    """The PDF/A-3 with the CII XML embedded as ``factur-x.xml`` (checked against the XSD)."""
    title = ("Gutschrift" if snap["kind"] == "credit_note" else "Rechnung") + " " + snap["number"]
    metadata = {
        "author": context.seller.name,
        "keywords": "Factur-X, ZUGFeRD, EN 16931",
        "title": title,
        "subject": f"{title} – {context.seller.name}",
    }
    return generate_from_binary(
        picture(snap, context, font), xml, flavor="factur-x", level="en16931",
        check_xsd=True, pdf_metadata=metadata, lang="de-DE",
    )
