"""Buying a package through the real SDK: Checkout, pay by invoice, and what is refused."""

import re

import pytest
import sqlalchemy as sa

from eap.billing.models import Contract
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.conftest import order, place_order
from tests.conftest import count, login_hr, post_form

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


def test_review_shows_net_vat_and_gross(english, buyer):
    _, package = buyer
    page = english.get("/hr/contract/new/review", query_string=order(package, 50))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # 50 × €4.00 = €200.00 net, 19 % VAT €38.00, €238.00 gross
    assert "200.00" in text and "38.00" in text and "238.00" in text


def test_checkout_creates_a_session_and_leaves_via_a_page_of_ours(app, client, buyer, stripe_api):
    _, package = buyer
    response = place_order(client, package, 50)
    # Not a redirect to Stripe: CSP form-action 'self' would block it after a POST.
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/hr/contract/")
    sent = stripe_api.sent("POST", "/v1/checkout/sessions")[0]
    assert sent["mode"] == "subscription" and sent["line_items[0][quantity]"] == "50"
    assert {sent["payment_method_types[0]"], sent["payment_method_types[1]"]} == {
        "card", "sepa_debit"}
    assert sent["line_items[0][price]"].startswith("price_")
    # 19 % VAT on every invoice of the subscription: the rate sync-stripe keeps.
    assert sent["subscription_data[default_tax_rates][0]"] == stripe_api.vat_rate
    assert sent["success_url"].startswith("http://localhost/hr/contract")
    handoff = client.get(response.headers["Location"])
    assert "form-action 'self'" in handoff.headers["Content-Security-Policy"]
    # The emulator's hosted page is the portal's development-only "test payment" page.
    assert 'href="http://localhost/dev/test-payment/cs_test_' in handoff.get_data(as_text=True)
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        assert contract.status == "pending" and contract.stripe_customer_id.startswith("cus_")
        assert sent["client_reference_id"] == str(contract.id)


def test_pay_by_invoice(app, client, buyer, stripe_api):
    _, package = buyer
    response = place_order(client, package, 30, "invoice", "year")
    assert response.status_code == 303 and response.headers["Location"] == "/hr/contract/"
    sent = stripe_api.sent("POST", "/v1/subscriptions")[0]
    assert sent["collection_method"] == "send_invoice" and sent["days_until_due"] == "14"
    assert sent["items[0][quantity]"] == "30"
    assert sent["default_tax_rates[0]"] == stripe_api.vat_rate
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        assert contract.collection == "invoice" and contract.stripe_subscription_id
        assert contract.interval == "year"


@pytest.mark.parametrize("seats", [0, -5, 100_001, 10**12, "abc", ""])
def test_bad_seat_numbers_are_refused(app, english, buyer, stripe_api, seats):
    _, package = buyer
    page = english.get("/hr/contract/new/review", query_string=order(package, seats))
    assert page.status_code == 400
    assert "Please enter a number of seats between 1 and" in page.get_data(as_text=True)
    response = place_order(english, package, seats)
    assert response.status_code == 302
    with app.app_context():
        assert count(Contract) == 0
    assert stripe_api.sent("POST", "/v1/checkout/sessions") == []


def test_unknown_and_retired_packages_are_refused(app, english, buyer, make_package, stripe_api):
    retired = make_package(slug="old", active=False)
    for package_id in (retired.id, 999_999):
        page = english.get("/hr/contract/new/review", query_string={
            "package": package_id, "seats": 10, "interval": "month", "method": "checkout"})
        assert page.status_code == 400
        assert "This package cannot be booked" in page.get_data(as_text=True)
        post_form(english, "/hr/contract/new", {"package": package_id, "seats": 10,
                  "interval": "month", "method": "checkout", "accept_terms": "yes"},
                  from_url="/hr/contract/new")
    with app.app_context():
        assert count(Contract) == 0


def test_unverified_owner_cannot_buy(app, english, make_hr_user, make_package, stripe_api):
    package = make_package()
    login_hr(english, make_hr_user(verified=False))
    response = place_order(english, package, follow_redirects=True)
    assert "Please confirm your e-mail address before you buy" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Contract) == 0


def test_no_second_subscription_while_one_is_active(
    app, english, buyer, make_contract, stripe_api
):
    user, package = buyer
    with app.app_context():
        from eap.employers.models import Organisation
        organisation = db.session.get(Organisation, user.organisation_id)
        db.session.expunge(organisation)
    make_contract(organisation=organisation, package=package, stripe_subscription_id="sub_1")
    response = place_order(english, package, follow_redirects=True)
    assert "already has a contract" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Contract) == 1
    assert stripe_api.sent("POST", "/v1/checkout/sessions") == []


def test_stripe_unreachable_leaves_nothing_half_written(app, english, buyer):
    _, package = buyer
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    response = place_order(english, package, follow_redirects=True)
    assert "Nothing was booked" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Contract) == 0


def test_without_the_vat_rate_nothing_is_booked(app, english, buyer, stripe_api, caplog):
    _, package = buyer
    stripe_api.retire_vat_rate()
    response = place_order(english, package, follow_redirects=True)
    assert "cannot be booked online at the moment" in response.get_data(as_text=True)
    assert "sync-stripe" in caplog.text  # the operator learns what to do
    assert stripe_api.sent("POST", "/v1/customers") == []
    assert stripe_api.sent("POST", "/v1/checkout/sessions") == []
    with app.app_context():
        assert count(Contract) == 0


def test_sync_stripe_is_idempotent(app, make_package, stripe_api):
    make_package(slug="basis", price_month_cents=250, price_year_cents=2700)
    cli = app.test_cli_runner()

    class runner:  # the commands run inside an app context, as under `flask --app eap`
        @staticmethod
        def invoke(args):
            with app.app_context():
                return cli.invoke(args=args)

    stripe_api.retire_vat_rate()
    first = runner.invoke(args=["sync-stripe"])
    assert "basis: product eap_basis, month created, year created" in first.output
    assert re.search(r"VAT 19 %: tax rate txr_\w+ \(created\)", first.output)
    second = runner.invoke(args=["sync-stripe"])
    assert "month kept, year kept" in second.output
    assert re.search(r"VAT 19 %: tax rate txr_\w+ \(kept\)", second.output)
    with app.app_context():
        from eap.packages.models import ServicePackage
        db.session.scalar(sa.select(ServicePackage)).price_month_cents = 300
        db.session.commit()
    third = runner.invoke(args=["sync-stripe"])
    assert "month replaced, year kept" in third.output
    active = [p for p in stripe_api.prices.values() if p["lookup_key"] == "basis_month"]
    assert [p["unit_amount"] for p in active] == [300]
