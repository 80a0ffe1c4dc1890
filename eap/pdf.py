"""Small PDFs (order confirmation, terms) with fpdf2, pure Python, built when asked for.

The built-in PDF fonts cover Latin-1 only; typographic characters outside it are replaced by
their plain equivalents (German umlauts and ß are Latin-1 and stay as they are).
"""

from __future__ import annotations

from fpdf import FPDF

_PLAIN = str.maketrans({
    "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-",
    "…": "...", "€": "EUR", "→": "->", "·": "-", "\u202f": " ", "\u00a0": " ",
})


def plain(text: str) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class Document:
    """A4 portrait, one column: headings, paragraphs and two-column rows."""

    def __init__(self, title: str, footer: str = "") -> None:
        pdf = FPDF(format="A4")
        pdf.set_title(plain(title))
        pdf.set_creator("EAP-Portal iGuS")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_margins(20, 18, 20)
        pdf.add_page()
        self.pdf = pdf
        self.footer = footer
        self.heading(title, size=16)

    def heading(self, text: str, size: int = 12) -> None:
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.multi_cell(0, size * 0.55, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.pdf.set_font("Helvetica", "", size)
        self.pdf.multi_cell(0, 5, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def row(self, label: str, value: str, bold: bool = False) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", 10)
        self.pdf.cell(70, 6, plain(label))
        self.pdf.multi_cell(0, 6, plain(value), new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        if self.footer:
            self.pdf.ln(4)
            self.pdf.set_font("Helvetica", "I", 8)
            self.pdf.multi_cell(0, 4, plain(self.footer), new_x="LMARGIN", new_y="NEXT")
        return bytes(self.pdf.output())
