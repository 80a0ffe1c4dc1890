"""Orders under Stripe's real failures: the order is saved first, every call is idempotent,
an unfinished order can be continued or cancelled, and the form survives an error."""

import re

import pytest
import sqlalchemy as sa

from eap.billing.models import Contract
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.conftest import place_order
from tests.conftest import count, login_hr, post_form

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


def the_contract(app) -> Contract:
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        db.session.expunge(contract)
        return contract


def customers_at_stripe(stripe_api) -> list[str]:
    status, body = stripe_api.forward("GET", "/v1/customers?limit=100", b"")
    import json
    return [c["id"] for c in json.loads(body)["data"]]


def continue_paying(client, contract):
    return post_form(client, f"/hr/contract/{contract.id}/pay", {"version": contract.version},
                     from_url="/hr/contract/")


@pytest.mark.parametrize("lost", ["/v1/customers", "/v1/checkout/sessions"])
def test_a_lost_answer_and_a_retry_end_in_one_customer_and_one_session(
    app, english, buyer, stripe_api, lost
):
    stripe_api.drop_after.add(lost)  # Stripe does the work; its answer never arrives
    response = place_order(english, buyer.package, follow_redirects=True)
    assert "Your order is saved" in response.get_data(as_text=True)
    contract = the_contract(app)  # the order was committed before Stripe was called
    assert contract.status == "pending"
    again = continue_paying(english, contract)
    assert again.status_code == 303 and again.headers["Location"].endswith("/pay")
    assert len(customers_at_stripe(stripe_api)) == 1
    sessions = {s["id"] for s in stripe_api.sessions.values()}
    assert len(sessions) == 1
    contract = the_contract(app)
    assert contract.stripe_customer_id == customers_at_stripe(stripe_api)[0]
    assert contract.stripe_checkout_session_id in sessions
    # Every creating call carried a key derived from the committed order.
    keys = [r["idempotency_key"] for r in stripe_api.requests
            if r["method"] == "POST" and r["path"] in ("/v1/customers", "/v1/checkout/sessions")]
    assert keys and all(k and k.startswith(f"eap-contract-{contract.id}-") for k in keys)


def test_a_lost_invoice_subscription_is_not_created_twice(app, english, buyer, stripe_api):
    stripe_api.drop_after.add("/v1/subscriptions")
    place_order(english, buyer.package, method="invoice")
    contract = the_contract(app)
    assert contract.status == "pending" and contract.stripe_subscription_id is None
    continue_paying(english, contract)
    assert len(stripe_api.subscriptions) == 1
    contract = the_contract(app)
    assert contract.stripe_subscription_id == next(iter(stripe_api.subscriptions))
    assert contract.status == "active"


def test_an_unfinished_order_can_be_continued(app, english, buyer, stripe_api):
    place_order(english, buyer.package)
    page = english.get("/hr/contract/").get_data(as_text=True)
    assert "waiting for payment" in page and "Continue to payment" in page
    assert "Cancel the order" in page and "was not completed" in page
    continue_paying(english, the_contract(app))
    handoff = english.get(f"/hr/contract/{the_contract(app).id}/pay").get_data(as_text=True)
    # The open session is offered again, not a second one that could be paid as well.
    assert len(stripe_api.sessions) == 1
    assert next(iter(stripe_api.sessions)) in handoff
    # A second order is refused while this one waits.
    refused = place_order(english, buyer.package, follow_redirects=True)
    assert "unfinished order" in refused.get_data(as_text=True)
    with app.app_context():
        assert count(Contract) == 1


def test_an_unfinished_order_can_be_cancelled(app, english, buyer, stripe_api):
    place_order(english, buyer.package)
    contract = the_contract(app)
    response = post_form(english, f"/hr/contract/{contract.id}/cancel-order",
                         {"version": contract.version}, from_url="/hr/contract/",
                         follow_redirects=True)
    assert "The order is cancelled" in response.get_data(as_text=True)
    # The checkout can no longer be paid, and a new order is possible.
    assert stripe_api.sessions[contract.stripe_checkout_session_id]["status"] == "expired"
    assert the_contract(app).status == "ended"
    place_order(english, buyer.package)
    with app.app_context():
        assert count(Contract) == 2


def test_the_order_form_comes_back_filled_after_a_payment_service_error(app, english, buyer):
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    response = place_order(english, buyer.package, 37, interval="year")
    assert response.status_code == 302
    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be reached" in page
    assert 'value="37"' in page

    def checked(name, value):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', page).group(0)
        return "checked" in tag

    assert checked("interval", "year") and not checked("interval", "month")
    assert checked("package", buyer.package.id)


def test_a_replaced_vat_rate_is_picked_up_without_a_restart(
    app, english, buyer, stripe_api, make_hr_user
):
    place_order(english, buyer.package)
    first = stripe_api.sent("POST", "/v1/checkout/sessions")[-1]
    assert first["subscription_data[default_tax_rates][0]"] == stripe_api.vat_rate
    # sync-stripe (another process) retires the rate and creates a new one.
    stripe_api.retire_vat_rate()
    stripe_api.vat_rate = stripe_api.add_vat_rate()
    other = app.test_client()
    with other.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    login_hr(other, make_hr_user())
    response = place_order(other, buyer.package)
    assert response.status_code == 303 and response.headers["Location"].endswith("/pay")
    last = stripe_api.sent("POST", "/v1/checkout/sessions")[-1]
    assert last["subscription_data[default_tax_rates][0]"] == stripe_api.vat_rate


def _probe(database_url, seen):
    """While Stripe 'works': is the order committed, and can another connection write?"""
    engine = sa.create_engine(
        database_url, **({"connect_args": {"timeout": 0.3}} if database_url.startswith("sqlite")
                         else {}))

    def probe(path):
        try:
            with engine.begin() as connection:
                if engine.dialect.name == "postgresql":
                    connection.execute(sa.text("SET LOCAL lock_timeout = '300ms'"))
                committed = connection.scalar(sa.text("SELECT count(*) FROM contracts"))
                connection.execute(sa.text("UPDATE contracts SET seats = seats"))
            seen.append((path, committed, "writable"))
        except sa.exc.OperationalError as error:
            seen.append((path, None, type(error.orig).__name__))

    return probe, engine


def test_stripe_is_called_outside_open_write_transactions(
    app, english, buyer, stripe_api, database_url
):
    seen: list = []
    probe, engine = _probe(database_url, seen)
    stripe_api.during.update({"/v1/customers": probe, "/v1/checkout/sessions": probe})
    try:
        place_order(english, buyer.package)
    finally:
        engine.dispose()
    assert [path for path, *_ in seen] == ["/v1/customers", "/v1/checkout/sessions"]
    # The order was committed before Stripe heard of it, and nothing held the write lock.
    assert all((count, state) == (1, "writable") for _path, count, state in seen), seen


def test_a_first_payment_that_failed_says_why_and_links_the_open_invoice(
    app, english, buyer, stripe_api
):
    place_order(english, buyer.package)
    contract = the_contract(app)
    cus = contract.stripe_customer_id
    sub = stripe_env.subscription("sub_incomplete", cus, contract.id, status="incomplete",
                                  lookup_key="plus_month")
    stripe_env.post_event(english, stripe_env.event("customer.subscription.created", sub))
    open_invoice = stripe_env.invoice("in_open1", cus, "sub_incomplete", status="open")
    stripe_env.post_event(english, stripe_env.event("invoice.finalized", open_invoice))
    page = english.get("/hr/contract/").get_data(as_text=True)
    assert "Stripe could not collect the first payment" in page
    assert 'href="https://invoice.stripe.com/i/in_open1"' in page
    assert "Pay the open invoice" in page
    assert "Cancel the order" not in page  # Stripe holds a subscription: not a mere order
