"""The Stripe documents an e-invoice is built from: invoices and credit notes of a contract."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.billing.models import Contract
from eap.extensions import db
from eap.models import TimestampMixin, UTCDateTime

FORMATS = ("none", "xrechnung", "zugferd")  # an organisation's choice for the invoice e-mail


class EInvoiceSource(TimestampMixin, db.Model):
    """Stripe's finalised invoice or credit note, as much as an EN 16931 invoice needs
    (``eap.billing.einvoice.snapshot``); the e-invoice itself is built when asked for."""

    __tablename__ = "einvoice_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    stripe_id: Mapped[str] = mapped_column(String(255), unique=True)  # in_... or cn_...
    kind: Mapped[str] = mapped_column(String(20), default="invoice")  # or "credit_note"
    number: Mapped[str] = mapped_column(String(80), default="")
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    data: Mapped[str] = mapped_column(Text, default="{}")
    stripe_event_created: Mapped[int] = mapped_column(Integer, default=0)
    # When the invoice e-mail with the e-invoice went out (claimed before sending: at most once).
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contract: Mapped[Contract] = relationship()

    @property
    def snapshot(self) -> dict:
        return json.loads(self.data or "{}")

    @property
    def total_cents(self) -> int:
        return int(self.snapshot.get("total") or 0)
