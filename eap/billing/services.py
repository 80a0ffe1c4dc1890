"""Buying a package: the order is saved first, then Stripe is asked, then its answer recorded.

Stripe calls never run inside a database transaction that has written something: the view
commits the order (the local intent) before ``start_payment`` talks to Stripe, and
``start_payment`` commits the customer before the next call; its last answer (checkout session
or subscription) is committed by the request boundary (``eap.transactions``). Every Stripe call
carries an idempotency key derived from the committed order, so a retry after any failure
(Stripe unreachable, the answer lost, the commit failing) converges on one customer and one
subscription. Changes to a running contract live in ``changes``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eap import transactions
from eap.billing import contracts, gateway
from eap.billing.models import Contract
from eap.billing.pricing import MAX_SEATS, MIN_SEATS
from eap.employers.links import public_url
from eap.employers.models import HrUser, Organisation
from eap.extensions import db
from eap.i18n import PORTAL_LANGUAGES
from eap.packages.models import ServicePackage


class BillingError(ValueError):
    """A rule stops the action; the message is shown to the HR user as it is."""


class OrderChanged(BillingError):
    """The order or contract changed since the page was shown; nothing was done."""


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


def place_order(user: HrUser, package_id: int, seats: int, interval: str, method: str,
                language: str = "de") -> Contract:
    """Check the order and add it as a pending contract (flushed; the view commits it).
    ``language`` is the portal language of the order: its confirmation is written in it."""
    if not user.is_verified:
        raise BillingError(_l("Please confirm your e-mail address before you buy a package."))
    package = usable_package(package_id)
    seats = check_seats(seats)
    if interval not in ("month", "year") or method not in ("checkout", "invoice"):
        raise BillingError(_l("Please choose a billing interval and a way to pay."))
    organisation = db.session.get(Organisation, user.organisation_id)
    blocking = contracts.blocking_contract(organisation.id)
    if blocking is not None and blocking.status == "pending":
        raise BillingError(_l("Your organisation has an unfinished order. Continue paying or "
                              "cancel it on the contract page."))
    if blocking is not None:
        raise BillingError(
            _l("Your organisation already has a contract. Change it on the contract page.")
        )
    # The catalogue first: without the price or the VAT rate nothing is written anywhere.
    gateway.price_id(package.slug, interval)
    gateway.vat_rates()
    contract = Contract(
        organisation_id=organisation.id, package_id=package.id, seats=seats,
        interval=interval, status="pending", collection=method,
        language=language if language in PORTAL_LANGUAGES else "de",
    )
    db.session.add(contract)
    db.session.flush()
    return contract


def start_payment(contract_id: int) -> str | None:
    """Customer, then Checkout Session or invoiced subscription, for a committed order.

    Commits the customer before the next Stripe call. Returns the URL to pay at, or None when
    Stripe sends an invoice instead. Safe to call again after any failure: it continues where
    it stopped."""
    contract = _pending(contract_id)
    if contract.stripe_customer_id is None:
        organisation = db.session.get(Organisation, contract.organisation_id)
        customer = contracts.known_customer(organisation.id) or _new_customer(
            organisation, key=f"eap-contract-{contract.id}-customer", contract_id=contract.id)
        contract = contracts.lock(contract_id)
        contract.stripe_customer_id = contract.stripe_customer_id or customer
        # Deliberate commit: no Stripe call runs inside a transaction that has written something
        # (nor holding this row's lock).
        transactions.commit_now("Stripe customer saved before the next Stripe call")
        contract = _pending(contract_id)
    price = gateway.price_id(contract.package.slug, contract.interval)
    if contract.collection == "invoice":
        state = gateway.create_invoice_subscription(
            contract.stripe_customer_id, price, contract.seats, contract.id,
            idempotency_key=f"eap-contract-{contract.id}-subscription",
        )
        # created=0: if a webhook recorded the subscription meanwhile, its state wins.
        contract = contracts.lock(contract_id)
        contracts.apply_subscription(contract, state, created=0)
        return None
    if contract.stripe_checkout_session_id:
        status, url = gateway.checkout_session(contract.stripe_checkout_session_id)
        if status == "open":
            return url
        if status == "complete":
            raise BillingError(_l("The payment is complete; the contract becomes active in a "
                                  "moment."))
    # A new session per expired one: the key names the session it replaces.
    replaced = contract.stripe_checkout_session_id or "none"
    session_id, url = gateway.create_checkout_session(
        contract.stripe_customer_id, price, contract.seats, contract.id,
        success_url=public_url("billing.contract", checkout="done"),
        cancel_url=public_url("billing.contract"),
        idempotency_key=f"eap-contract-{contract.id}-checkout-after-{replaced}",
    )
    contract = contracts.lock(contract_id)
    contract.stripe_checkout_session_id = session_id
    return url


def cancel_order(contract: Contract | None, seen_version: int | None) -> None:
    """End an order that was never paid; its open checkout session is closed first."""
    if contract is None or contract.status != "pending" or contract.stripe_subscription_id:
        raise BillingError(_l("This order can no longer be cancelled."))
    if seen_version != contract.version:
        raise OrderChanged(_l("The order changed meanwhile. Please check it again."))
    if contract.stripe_checkout_session_id:
        if gateway.expire_checkout_session(contract.stripe_checkout_session_id) == "complete":
            raise BillingError(_l("The payment is complete; the contract becomes active in a "
                                  "moment."))
    contract.status = "ended"
    db.session.flush()  # UPDATE … WHERE version = seen: a webhook that activated it wins


def _pending(contract_id: int) -> Contract:
    """The order, re-read after a commit; refuses once it is no longer a pending order."""
    contract = db.session.get(Contract, contract_id, populate_existing=True)
    if contract is None or contract.status != "pending" or contract.stripe_subscription_id:
        raise BillingError(_l("This order is no longer waiting for payment."))
    return contract


def _new_customer(organisation: Organisation, key: str, contract_id: int) -> str:
    address = {
        "line1": organisation.street, "postal_code": organisation.postcode,
        "city": organisation.city, "country": organisation.country,
    }
    return gateway.create_customer(
        organisation.name, organisation.billing_email, address, organisation.id, key,
        contract_id=contract_id,
    )


def portal_url(contract: Contract | None) -> str:
    if contract is None or not contract.stripe_customer_id:
        raise BillingError(_l("There are no payment details to manage yet."))
    return gateway.portal_url(contract.stripe_customer_id, public_url("billing.contract"))
