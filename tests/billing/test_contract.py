"""The contract page against the emulator: seats, package, cancel, resume, portal."""

import re

import pytest
import stripe

from eap.billing.models import Contract
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.conftest import version_of
from tests.conftest import post_form

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


def test_change_seats_cancel_resume(app, english, running):
    contract, sub_id, _ = running
    page = english.get("/hr/contract/")
    assert page.status_code == 200 and "Active" in page.get_data(as_text=True)
    post_form(english, "/hr/contract/seats",
              {"seats": 60, "version": version_of(app, contract.id)}, from_url="/hr/contract/")
    assert int(stripe.Subscription.retrieve(sub_id)["items"]["data"][0]["quantity"]) == 60
    post_form(english, "/hr/contract/cancel", {"version": version_of(app, contract.id)},
              from_url="/hr/contract/")
    assert stripe.Subscription.retrieve(sub_id)["cancel_at_period_end"] is True
    with app.app_context():
        current = db.session.get(Contract, contract.id)
        assert (current.seats, current.status) == (60, "cancelled")
    post_form(english, "/hr/contract/resume", {"version": version_of(app, contract.id)},
              from_url="/hr/contract/")
    assert stripe.Subscription.retrieve(sub_id)["cancel_at_period_end"] is False
    with app.app_context():
        assert db.session.get(Contract, contract.id).status == "active"


@pytest.mark.parametrize("seats", [0, -1, 100_001])
def test_bad_seat_changes_are_refused(app, english, running, seats):
    contract, sub_id, _ = running
    page = post_form(english, "/hr/contract/seats",
                     {"seats": seats, "version": version_of(app, contract.id)},
                     from_url="/hr/contract/", follow_redirects=True)
    assert "Please enter a number of seats between" in page.get_data(as_text=True)
    assert int(stripe.Subscription.retrieve(sub_id)["items"]["data"][0]["quantity"]) == 50


def test_change_package_sends_the_new_price_and_keeps_the_seats(app, english, running, stripe_api):
    contract, sub_id, premium = running
    # The version the page shows (the form carries it; none on a page without one).
    shown = re.search(r'id="package-version"[^>]*value="(\d+)"',
                      english.get("/hr/contract/").get_data(as_text=True))
    post_form(english, "/hr/contract/package",
              {"package": premium.id, "version": shown.group(1) if shown else ""},
              from_url="/hr/contract/")
    sent = stripe_api.sent("POST", f"/v1/subscriptions/{sub_id}")[-1]
    prices = stripe_api.prices.values()
    premium_price = next(p for p in prices if p["lookup_key"] == "premium_month")
    assert sent["items[0][price]"] == premium_price["id"]
    # The quantity goes along explicitly; Stripe (the emulator) keeps 50 seats, and so do we.
    assert sent["items[0][quantity]"] == "50"
    assert int(stripe.Subscription.retrieve(sub_id)["items"]["data"][0]["quantity"]) == 50
    with app.app_context():
        current = db.session.get(Contract, contract.id)
        assert (current.package_id, current.seats) == (premium.id, 50)


def test_customer_portal_link(english, running, stripe_api):
    response = post_form(english, "/hr/contract/portal", from_url="/hr/contract/")
    assert response.status_code == 303 and response.headers["Location"] == "/hr/contract/portal"
    page = english.get("/hr/contract/portal").get_data(as_text=True)
    assert f"{stripe_api.url}/portal/" in page
    assert stripe_api.sent("POST", "/v1/billing_portal/sessions")[0]["return_url"].endswith(
        "/hr/contract/")
