"""The employer report's frozen differentially private releases.

The counters they are drawn from (``UsageCounter``, ``ServiceCounter``) live beside the requests
they count, in ``eap.requests.models``, and only ``eap.requests.counters`` writes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import UTCDateTime, utcnow


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
