"""Finding an organisation's contracts, the rule of when a contract grants access, and applying
what Stripe says about a subscription.

The access rule lives here once, in Python (:func:`grants_access`) and as its SQL twin
(:func:`grants_access_sql`) for queries over many contracts; tests/billing/test_access_rule.py
checks that the two agree on every status. Nothing else decides whether a contract is paid for.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from eap.billing import statuses
from eap.billing.models import Contract
from eap.billing.stripe_objects import SubscriptionState
from eap.extensions import db
from eap.packages.models import ServicePackage

# A contract in one of these states blocks a second purchase.
OPEN_STATUSES = ("active", "past_due", "cancelled")
# Paid for without an end in sight: running, or in the grace time of an overdue payment.
RUNNING_STATUSES = ("active", "past_due")
# Paid for at least once (an order still waiting for payment has not started).
STARTED_STATUSES = ("active", "past_due", "cancelled", "ended")


# --- The one rule: does the contract grant access (is it paid for) at a moment? -------------

def grants_access(contract: Contract, at: datetime | None = None) -> bool:
    """Employees may use the service: active, past due (grace), or a paid period left."""
    if contract.status in RUNNING_STATUSES:
        return True
    end = contract.current_period_end
    if contract.status == "cancelled" and end is not None:
        if end.tzinfo is None:  # SQLite hands back naive datetimes (UTC)
            end = end.replace(tzinfo=UTC)
        return (at or datetime.now(UTC)) < end
    return False


def grants_access_sql(at) -> sa.ColumnElement[bool]:
    """:func:`grants_access` in SQL; ``at`` is a value or a bound parameter."""
    return sa.or_(
        Contract.status.in_(RUNNING_STATUSES),
        sa.and_(Contract.status == "cancelled", Contract.current_period_end > at),
    )


def access_contract(organisation_id: int, at: datetime | None = None) -> Contract | None:
    """The organisation's newest contract that grants access at ``at`` (now), if any."""
    return db.session.scalar(
        sa.select(Contract)
        .where(Contract.organisation_id == organisation_id,
               grants_access_sql(at or datetime.now(UTC)))
        .order_by(Contract.created_at.desc(), Contract.id.desc())
        .limit(1)
    )


def organisation_has_access(organisation_id: int) -> bool:
    """Whether the organisation's employees may use the service now (a template global too)."""
    return access_contract(organisation_id) is not None


def has_started_sql() -> sa.ColumnElement[bool]:
    """The contract was paid for at least once (the reports' seats and first quarter)."""
    return Contract.status.in_(STARTED_STATUSES)



def get_contract_or_404(contract_id: int) -> Contract:
    """A contract of the signed-in HR user's organisation; any other id is 404."""
    contract = db.session.get(Contract, contract_id)
    if contract is None or contract.organisation_id != current_user.organisation_id:
        abort(404)
    return contract


def current_contract(organisation_id: int) -> Contract | None:
    """The organisation's newest contract that is not ended, else its newest at all."""
    contracts = list(
        db.session.scalars(
            sa.select(Contract)
            .where(Contract.organisation_id == organisation_id)
            .order_by(Contract.id.desc())
        )
    )
    for contract in contracts:
        if contract.status != "ended":
            return contract
    return contracts[0] if contracts else None


def blocking_contract(organisation_id: int) -> Contract | None:
    """A contract that is running, or an order still waiting for payment (which the HR user
    continues or cancels on the contract page: replacing it could leave a payable checkout)."""
    return db.session.scalar(
        sa.select(Contract)
        .where(
            Contract.organisation_id == organisation_id,
            Contract.status.in_((*OPEN_STATUSES, "pending")),
        )
        .order_by(Contract.id.desc())
        .limit(1)
    )


def lock(contract_id: int) -> Contract | None:
    """The contract, re-read and row-locked until the transaction ends (PostgreSQL).

    SQLite ignores FOR UPDATE; the version column guards the write there."""
    return db.session.scalar(
        sa.select(Contract)
        .where(Contract.id == contract_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def known_customer(organisation_id: int) -> str | None:
    return db.session.scalar(
        sa.select(Contract.stripe_customer_id)
        .where(
            Contract.organisation_id == organisation_id,
            Contract.stripe_customer_id.is_not(None),
        )
        .order_by(Contract.id.desc())
        .limit(1)
    )


def _when(stamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(int(stamp), UTC) if stamp else None


def apply_subscription(
    contract: Contract, state: SubscriptionState, created: int | None, deleted: bool = False
) -> bool:
    """Copy Stripe's view onto the contract unless a newer event was applied already.

    ``created`` is the event time; None means "fetched from the API just now".
    """
    moment = int(time.time()) if created is None else created
    if moment < contract.stripe_event_created:
        return False
    contract.stripe_event_created = moment
    contract.stripe_subscription_id = contract.stripe_subscription_id or state.id
    contract.stripe_customer_id = contract.stripe_customer_id or state.customer or None
    contract.status = statuses.from_stripe(state.status, state.cancel_at_period_end, deleted)
    contract.cancel_at_period_end = state.cancel_at_period_end and not deleted
    if state.quantity > 0:
        contract.seats = state.quantity
    start, end = _when(state.current_period_start), _when(state.current_period_end)
    contract.current_period_start = start or contract.current_period_start
    contract.current_period_end = end or contract.current_period_end
    return True


def package_for_lookup_key(key: str | None) -> tuple[ServicePackage, str] | None:
    """``<slug>_<interval>`` back to the package and interval, if it names one."""
    slug, _, interval = (key or "").rpartition("_")
    if interval not in ("month", "year"):
        return None
    package = db.session.scalar(sa.select(ServicePackage).where(ServicePackage.slug == slug))
    return (package, interval) if package else None
