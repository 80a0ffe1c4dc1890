from typing import NamedTuple

import pytest
import stripe

from eap.billing.models import Contract
from eap.extensions import db
from eap.packages.models import ServicePackage
from tests.billing import stripe_env
from tests.conftest import login_hr, post_form


@pytest.fixture(scope="session")
def _stripe_servers():
    process, port = stripe_env.start_localstripe()
    stand_in = stripe_env.StandIn(port)
    yield stand_in
    stand_in.stop()
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_api(_stripe_servers):
    """The stand-in (in front of a wiped localstripe), empty for this test."""
    _stripe_servers.reset()
    yield _stripe_servers
    _stripe_servers.reset()


@pytest.fixture
def app_settings():
    # A closed local port: a webhook test that would reach Stripe fails fast, never leaves.
    return {"STRIPE_WEBHOOK_SECRET": stripe_env.WEBHOOK_SECRET,
            "STRIPE_API_BASE": stripe_env.NOWHERE}


class Buyer(NamedTuple):
    user: object
    package: ServicePackage


@pytest.fixture
def buyer(client, make_hr_user, make_package, stripe_api) -> Buyer:
    """An HR owner signed in on ``client``, and the package "plus" with its monthly and yearly
    prices at Stripe (€4.00 and €43.00 a seat)."""
    package = make_package(slug="plus", price_month_cents=400)
    stripe_api.add_price("plus", "month", 400)
    stripe_api.add_price("plus", "year", 4300)
    user = make_hr_user()
    login_hr(client, user)
    return Buyer(user, package)


def order(package, seats=50, method="checkout", interval="month") -> dict:
    """The order form's fields, terms accepted."""
    return {"package": package.id, "seats": seats, "interval": interval, "method": method,
            "accept_terms": "yes"}


def place_order(client, package, seats=50, method="checkout", interval="month",
                follow_redirects=False):
    """Submit the order form as the HR user signed in on ``client``."""
    return post_form(client, "/hr/contract/new", order(package, seats, method, interval),
                     from_url="/hr/contract/new", follow_redirects=follow_redirects)


@pytest.fixture
def running(app, client, make_hr_user, make_package, make_contract, stripe_api):
    """A subscription that exists in localstripe (created with the SDK, as Checkout would)."""
    plus = make_package(slug="plus")
    premium = make_package(slug="premium", price_month_cents=650)
    price = stripe_api.add_price("plus", "month", 400)
    stripe_api.add_price("premium", "month", 650)
    stripe.api_base, stripe.api_key = stripe_api.url, stripe_env.API_KEY
    customer = stripe.Customer.create(name="Test GmbH")
    stripe.PaymentMethod.attach("pm_card_visa", customer=customer.id)
    stripe.Customer.modify(customer.id, invoice_settings={"default_payment_method": "pm_card_visa"})
    sub = stripe.Subscription.create(
        customer=customer.id, items=[{"plan": price["id"], "quantity": 50}])
    user = make_hr_user(role="billing")
    with app.app_context():
        from eap.employers.models import Organisation
        organisation = db.session.get(Organisation, user.organisation_id)
        db.session.expunge(organisation)
    contract = make_contract(organisation=organisation, package=plus, seats=50,
                             stripe_customer_id=customer.id, stripe_subscription_id=sub.id)
    login_hr(client, user)
    return contract, sub.id, premium


def version_of(app, contract_id) -> int:
    with app.app_context():
        return db.session.get(Contract, contract_id).version
