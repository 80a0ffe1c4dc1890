"""Service-wide counters for the iGuS figures: month × dimension × value, nothing else.

Like ``UsageCounter`` (per organisation and quarter, in ``eap.requests.models``) these rows have
no link to a case, an account or an organisation, so they survive retention purges and erasure.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import UTCDateTime, utcnow
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


class ReportRelease(db.Model):
    """One differentially private release for one organisation and period, drawn once, frozen.

    ``cells`` holds the noisy counts as released (a list of series, see eap.reports.release);
    ``epsilon`` is the privacy loss the library's accounting gives for it. A second draw of the
    same period would let a reader average the noise away: the unique constraint makes two
    concurrent first views store one release.
    """

    __tablename__ = "report_releases"
    __table_args__ = (
        UniqueConstraint("organisation_id", "period", "kind", name="one_release"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    period: Mapped[str] = mapped_column(String(6))  # "2026Q3" (quarter) or "2026" (year)
    kind: Mapped[str] = mapped_column(String(10))  # "quarter" or "year"
    cells: Mapped[dict] = mapped_column(JSON)
    epsilon: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
