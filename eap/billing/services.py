"""Buying a package and changing the contract; services flush, the views commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eap.billing import contracts, gateway
from eap.billing.models import Contract
from eap.billing.pricing import MAX_SEATS, MIN_SEATS
from eap.employers.links import public_url
from eap.employers.models import HrUser, Organisation
from eap.extensions import db
from eap.i18n import lazy_gettext as _l
from eap.packages.models import ServicePackage


class BillingError(ValueError):
    """A rule stops the action; the message is shown to the HR user as it is."""


@dataclass
class Purchase:
    contract: Contract
    checkout_url: str | None  # None when paying by invoice


def usable_package(package_id: int | None) -> ServicePackage:
    package = db.session.get(ServicePackage, package_id) if package_id else None
    if package is None or not package.active:
        raise BillingError(_l("This package cannot be booked. Please choose another one."))
    return package


def check_seats(seats: int | None) -> int:
    if seats is None or not MIN_SEATS <= seats <= MAX_SEATS:
        raise BillingError(
            _l("Please enter a number of seats between %(low)s and %(high)s.",
               low=MIN_SEATS, high=MAX_SEATS)
        )
    return seats


def start_purchase(
    user: HrUser, package_id: int, seats: int, interval: str, method: str
) -> Purchase:
    """A pending contract and, at Stripe, a Checkout Session or an invoiced subscription."""
    if not user.is_verified:
        raise BillingError(_l("Please confirm your e-mail address before you buy a package."))
    package = usable_package(package_id)
    seats = check_seats(seats)
    if interval not in ("month", "year") or method not in ("checkout", "invoice"):
        raise BillingError(_l("Please choose a billing interval and a way to pay."))
    organisation = db.session.get(Organisation, user.organisation_id)
    if contracts.blocking_contract(organisation.id):
        raise BillingError(
            _l("Your organisation already has a contract. Change it on the contract page.")
        )
    # The catalogue first: without the price or the VAT rate nothing is created anywhere.
    price = gateway.price_id(package.slug, interval)
    gateway.vat_rates()
    # An abandoned checkout left a pending contract without subscription: replace it.
    db.session.execute(
        sa.delete(Contract).where(
            Contract.organisation_id == organisation.id,
            Contract.status == "pending",
            Contract.stripe_subscription_id.is_(None),
        )
    )
    contract = Contract(
        organisation_id=organisation.id, package_id=package.id, seats=seats,
        interval=interval, status="pending", collection=method,
    )
    db.session.add(contract)
    db.session.flush()
    contract.stripe_customer_id = contracts.known_customer(organisation.id) or _new_customer(
        organisation
    )
    if method == "invoice":
        state = gateway.create_invoice_subscription(
            contract.stripe_customer_id, price, seats, contract.id
        )
        contracts.apply_subscription(contract, state, created=0)
        return Purchase(contract, None)
    _session_id, url = gateway.create_checkout_session(
        contract.stripe_customer_id, price, seats, contract.id,
        success_url=public_url("billing.contract", checkout="done"),
        cancel_url=public_url("billing.choose"),
    )
    return Purchase(contract, url)


def _new_customer(organisation: Organisation) -> str:
    address = {
        "line1": organisation.street, "postal_code": organisation.postcode,
        "city": organisation.city, "country": organisation.country,
    }
    return gateway.create_customer(
        organisation.name, organisation.billing_email, address, organisation.id
    )


def _running(contract: Contract | None) -> Contract:
    if contract is None or not contract.stripe_subscription_id or contract.status == "ended":
        raise BillingError(_l("There is no running contract to change."))
    return contract


def _refresh(contract: Contract) -> None:
    contracts.apply_subscription(
        contract, gateway.fetch_subscription(contract.stripe_subscription_id), created=None
    )


def change_seats(contract: Contract | None, seats: int | None) -> None:
    contract = _running(contract)
    seats = check_seats(seats)
    gateway.change_seats(contract.stripe_subscription_id, seats)
    _refresh(contract)
    contract.seats = seats  # the emulator echoes quantities oddly; we asked for exactly this


def change_package(contract: Contract | None, package_id: int | None) -> None:
    contract = _running(contract)
    package = usable_package(package_id)
    if package.id == contract.package_id:
        raise BillingError(_l("This is already your package."))
    gateway.change_price(
        contract.stripe_subscription_id, gateway.price_id(package.slug, contract.interval)
    )
    _refresh(contract)
    contract.package_id = package.id


def set_cancelled(contract: Contract | None, cancel: bool) -> None:
    contract = _running(contract)
    gateway.set_cancel_at_period_end(contract.stripe_subscription_id, cancel)
    _refresh(contract)


def portal_url(contract: Contract | None) -> str:
    if contract is None or not contract.stripe_customer_id:
        raise BillingError(_l("There are no payment details to manage yet."))
    return gateway.portal_url(contract.stripe_customer_id, public_url("billing.contract"))
