"""The order confirmation sent for a contract: at most one per contract."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import UTCDateTime, utcnow


class OrderConfirmation(db.Model):
    __tablename__ = "order_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), unique=True)
    # The versions in force when the order was placed, printed on the order PDF.
    terms_version: Mapped[str] = mapped_column(String(20), default="")
    avv_version: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
