from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eap.employers.models import Organisation
from eap.extensions import db
from eap.models import TimestampMixin, UTCDateTime, utcnow
from eap.packages.models import ServicePackage

CONTRACT_STATUSES = ("pending", "active", "past_due", "cancelled", "ended")
INTERVALS = ("month", "year")


class Contract(TimestampMixin, db.Model):
    """An organisation's subscription to a service package. Stripe webhooks keep it current."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("service_packages.id"))
    seats: Mapped[int] = mapped_column(Integer)
    interval: Mapped[str] = mapped_column(String(10), default="month")
    # pending → active ⇄ past_due; cancel_at_period_end marks "cancelled at period end";
    # ended once Stripe deletes the subscription.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    collection: Mapped[str] = mapped_column(String(20), default="checkout")  # or "invoice"
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    current_period_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Time of the newest Stripe event applied: older events arriving late change nothing.
    stripe_event_created: Mapped[int] = mapped_column(Integer, default=0)
    # The open Checkout Session of a pending order: "continue paying" reuses it while it is
    # open, cancelling the order expires it, so one order never gets two subscriptions.
    stripe_checkout_session_id: Mapped[str | None] = mapped_column(String(255))
    # Optimistic locking: SQLAlchemy adds "AND version = :seen" to every UPDATE, so two HR
    # users changing the contract at once, or a webhook racing a change, cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    # The portal language the order was placed in: its confirmation e-mail is written in it.
    language: Mapped[str] = mapped_column(String(5), default="de", server_default="de")

    organisation: Mapped[Organisation] = relationship()
    package: Mapped[ServicePackage] = relationship()

    __mapper_args__ = {"version_id_col": version}


class StripeEvent(db.Model):
    """Every Stripe event applied (or knowingly ignored), stored with its effect, once."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # evt_...
    type: Mapped[str] = mapped_column(String(80))
    created: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), default="applied")  # or "ignored"
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invoice(db.Model):
    """A Stripe invoice of a contract, as the webhooks report it (amounts in cents).

    Only what the invoice list needs; per-seat billing never says how often the service was used.
    """

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    stripe_invoice_id: Mapped[str] = mapped_column(String(255), unique=True)
    number: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    amount_due_cents: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="eur")
    hosted_invoice_url: Mapped[str] = mapped_column(String(500), default="")
    invoice_pdf: Mapped[str] = mapped_column(String(500), default="")
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stripe_event_created: Mapped[int] = mapped_column(Integer, default=0)
