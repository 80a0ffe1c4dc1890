"""Changing a running contract: seats, package, cancel at period end, resume.

Two HR users may change one contract at the same moment. Each form carries the contract's
version; ``claim`` bumps it with ``UPDATE … WHERE version = :seen`` and the view commits that
claim *before* Stripe is called, so of two changes shown the same version exactly one reaches
Stripe and the other is told to look again. The Stripe call carries an idempotency key made of
the contract id and the claimed version. Afterwards the subscription as Stripe now holds it is
copied onto the contract — Stripe (and its webhooks) stay the source of truth for seats,
package and status; the portal never writes the number it asked for.
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from eap.billing import contracts, gateway
from eap.billing.models import Contract
from eap.billing.services import BillingError, OrderChanged, check_seats, usable_package
from eap.extensions import db

log = logging.getLogger(__name__)

CHANGED = _l("Someone changed the contract meanwhile. Please check the current state and try "
             "again; nothing was changed.")


def running(contract: Contract | None) -> Contract:
    if contract is None or not contract.stripe_subscription_id or contract.status == "ended":
        raise BillingError(_l("There is no running contract to change."))
    return contract


def claim(contract: Contract | None, seen_version: int | None) -> str:
    """Bump the version seen on the form (flushed); returns the idempotency key prefix."""
    contract = running(contract)
    if seen_version is None or seen_version != contract.version:
        raise OrderChanged(CHANGED)
    flag_modified(contract, "seats")  # an UPDATE that only moves the version on
    try:
        db.session.flush()
    except StaleDataError as exc:  # another change committed between our read and our write
        raise OrderChanged(CHANGED) from exc
    return f"eap-contract-{contract.id}-v{contract.version}"


def _record(contract: Contract) -> Contract:
    """Copy Stripe's current view of the subscription onto the contract (locked)."""
    state = gateway.fetch_subscription(contract.stripe_subscription_id)
    locked = contracts.lock(contract.id)
    contracts.apply_subscription(locked, state, created=None)
    return locked


def change_seats(contract: Contract, seats: int | None, key: str) -> None:
    seats = check_seats(seats)
    gateway.change_seats(contract.stripe_subscription_id, seats, f"{key}-seats-{seats}")
    _record(contract)


def preview_seats(contract: Contract | None, seats: int | None) -> dict:
    """Stripe's preview of the next invoice if the seats were ``seats`` (nothing changes)."""
    contract = running(contract)
    seats = check_seats(seats)
    if seats == contract.seats:
        raise BillingError(_l("The contract already has this number of seats."))
    return gateway.preview_seats(contract.stripe_customer_id, contract.stripe_subscription_id,
                                 seats)


def change_package(contract: Contract, package_id: int | None, key: str) -> None:
    package = usable_package(package_id)
    if package.id == contract.package_id:
        raise BillingError(_l("This is already your package."))
    price = gateway.price_id(package.slug, contract.interval)
    # The seats go along explicitly: the price change must never change them.
    gateway.change_price(contract.stripe_subscription_id, price, contract.seats,
                         f"{key}-package-{package.id}")
    state = gateway.fetch_subscription(contract.stripe_subscription_id)
    if state.quantity != contract.seats:
        # Never accept a silent change of seats: put Stripe back to what was agreed.
        log.error("stripe changed the seats of contract %s with its price; restoring",
                  contract.id)
        gateway.change_seats(contract.stripe_subscription_id, contract.seats, f"{key}-restore")
    locked = _record(contract)
    if state.price_id == price:
        locked.package_id = package.id


def set_cancelled(contract: Contract, cancel: bool, key: str) -> None:
    gateway.set_cancel_at_period_end(contract.stripe_subscription_id, cancel,
                                     f"{key}-cancel-{int(cancel)}")
    _record(contract)
