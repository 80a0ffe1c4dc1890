"""Which version of the terms of service and of the AVV an organisation accepted, and when."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import UTCDateTime, utcnow

DOCUMENTS = ("terms", "avv")


class TermsAcceptance(db.Model):
    """One acceptance of one document version; kept for ever (it is the signed contract)."""

    __tablename__ = "terms_acceptances"
    __table_args__ = (Index("ix_terms_acceptances_org_doc", "organisation_id", "document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    hr_user_id: Mapped[int | None] = mapped_column(ForeignKey("hr_users.id", ondelete="SET NULL"))
    document: Mapped[str] = mapped_column(String(10))  # "terms" or "avv"
    version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
