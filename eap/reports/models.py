"""Service-wide counters for the iGuS figures: month × dimension × value, nothing else.

Like ``UsageCounter`` (per organisation and quarter, in ``eap.requests.models``) these rows have
no link to a case, an account or an organisation, so they survive retention purges and erasure.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.requests.models import UsageCounter

# The admin figures read one dimension over a few quarters for every organisation at once.
Index("ix_usage_counters_dimension_quarter", UsageCounter.dimension, UsageCounter.quarter)


class ServiceCounter(db.Model):
    """How many requests, first responses, closings … per month; for iGuS staff only."""

    __tablename__ = "service_counters"
    __table_args__ = (
        UniqueConstraint("dimension", "month", "value", name="one_service_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # e.g. "2026-11" (Europe/Berlin)
    dimension: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)
