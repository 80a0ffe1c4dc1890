from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.extensions import db
from eap.models import AccountMixin, TimestampMixin, UTCDateTime
from eap.security import sessions
from eap.security.crypto import EncryptedText

HR_ROLES = ("owner", "manager", "billing")


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="DE")
    vat_id: Mapped[str | None] = mapped_column(String(20))
    billing_email: Mapped[str] = mapped_column(String(254))
    employee_count: Mapped[int] = mapped_column(Integer, default=0)
    # E-invoices (docs/einvoices.md): Leitweg-ID or other buyer reference (BT-10), and the
    # format the invoice e-mail carries ("none", "xrechnung", "zugferd").
    buyer_reference: Mapped[str] = mapped_column(String(80), default="", server_default="")
    einvoice_format: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    # A separate billing address; empty fields mean "the address above".
    billing_name: Mapped[str] = mapped_column(String(200), default="")
    billing_street: Mapped[str] = mapped_column(String(200), default="")
    billing_postcode: Mapped[str] = mapped_column(String(20), default="")
    billing_city: Mapped[str] = mapped_column(String(100), default="")
    billing_country: Mapped[str] = mapped_column(String(2), default="")

    hr_users: Mapped[list["HrUser"]] = relationship(back_populates="organisation")


class HrUser(AccountMixin, TimestampMixin, db.Model):
    """An employer's HR user. Never linked to anything a requester does."""

    __tablename__ = "hr_users"
    kind = "hr"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="owner")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="hr_users")

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class AccessCode(TimestampMixin, db.Model):
    """The code employees and dependants enter to reach the anonymous request pages.

    One primary code per organisation plus optional codes per site or department (their label
    is used only for anonymised statistics). The code is kept encrypted (HR must be able to
    show it again, on the poster) and found through a keyed digest of its normalised form.
    """

    __tablename__ = "access_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(EncryptedText)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Seats the site of an extra code covers, declared when the code is made and never changed:
    # the report's site rows are fixed from it before a year starts (eap.reports.layout).
    seats: Mapped[int | None] = mapped_column(Integer)

    organisation: Mapped[Organisation] = relationship()


class HrInvitation(TimestampMixin, db.Model):
    """A pending team invitation: single use, expiring, revocable by an owner (by deleting it).

    The link carries a random token; only its SHA-256 is stored, so a database dump yields no
    usable link. The role lives here, never in the link.
    """

    __tablename__ = "hr_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# HR users sign in; every HR page shows the organisation, so it comes in the same query.
sessions.register_user_model("hr", HrUser, "organisation")
