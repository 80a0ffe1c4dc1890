"""An order retried after Stripe forgot its idempotency keys (24 hours) still converges to one
customer and one subscription: the order's own are looked up by its id first (issue 26, 3)."""

import pytest
import sqlalchemy as sa
import stripe

from eap.billing import services
from eap.billing.models import Contract
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.conftest import place_order

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


def test_a_retry_days_later_makes_no_second_customer_or_subscription(app, client, buyer,
                                                                      stripe_api):
    _, package = buyer
    assert place_order(client, package, 30, "invoice", "year").status_code == 303
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        first_customer, first_subscription = (contract.stripe_customer_id,
                                              contract.stripe_subscription_id)
        # What a host that died after the Stripe calls leaves: Stripe has both, we have neither.
        contract.stripe_customer_id = contract.stripe_subscription_id = None
        contract.status = "pending"
        db.session.commit()
        contract_id = contract.id

    with app.test_request_context():
        stripe_api.forget_idempotency_keys()  # days later: Stripe no longer knows the keys
        assert services.start_payment(contract_id) is None
        db.session.commit()
        again = db.session.get(Contract, contract_id)
        assert again.stripe_customer_id == first_customer
        assert again.stripe_subscription_id == first_subscription

    stripe.api_base, stripe.api_key = stripe_api.url, stripe_env.API_KEY
    assert [c.id for c in stripe.Customer.list(limit=100).auto_paging_iter()] == [first_customer]
    subscriptions = stripe.Subscription.list(customer=first_customer, status="all", limit=100)
    assert [s.id for s in subscriptions.auto_paging_iter()] == [first_subscription]
    # the only creations are the first ones (the retry looked them up)
    assert len(stripe_api.sent("POST", "/v1/customers")) == 1
    assert len(stripe_api.sent("POST", "/v1/subscriptions")) == 1
