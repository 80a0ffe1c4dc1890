"""Terms before the order, and the order confirmation (e-mail and PDF) right after it."""

import pytest
import sqlalchemy as sa

from eap.billing.confirmation_models import OrderConfirmation
from eap.billing.models import Contract
from eap.employers import terms
from eap.employers.terms_models import TermsAcceptance
from eap.extensions import db
from tests.billing import stripe_env
from tests.conftest import count, login_hr, post_form

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api, mailbox):
    return {"STRIPE_API_BASE": stripe_api.url, "STRIPE_SECRET_KEY": stripe_env.API_KEY,
            "STRIPE_WEBHOOK_SECRET": stripe_env.WEBHOOK_SECRET, **mailbox.settings}


@pytest.fixture
def buyer(client, make_hr_user, make_package, stripe_api):
    package = make_package(slug="plus", price_month_cents=400)
    stripe_api.add_price("plus", "year", 4300)
    user = make_hr_user()
    login_hr(client, user)
    return user, package


ORDER = {"seats": 30, "interval": "year", "method": "invoice"}


def test_no_order_without_accepting_the_terms(app, client, buyer):
    _user, package = buyer
    review = client.get("/hr/contract/new/review", query_string={"package": package.id, **ORDER})
    html = review.get_data(as_text=True)
    assert 'name="accept_terms"' in html and "/legal/avv" in html and "/legal/terms" in html
    answer = post_form(client, "/hr/contract/new", {"package": package.id, **ORDER},
                       from_url="/hr/contract/new")
    assert answer.status_code == 303 and "/hr/contract/new/review" in answer.headers["Location"]
    with app.app_context():
        assert count(Contract) == 0 and count(TermsAcceptance) == 0


def test_order_stores_the_accepted_versions_and_confirms_by_mail_and_pdf(
        app, client, buyer, mailbox):
    user, package = buyer
    answer = post_form(client, "/hr/contract/new",
                       {"package": package.id, **ORDER, "accept_terms": "yes"},
                       from_url="/hr/contract/new")
    assert answer.status_code == 303
    with app.app_context():
        accepted = db.session.execute(sa.select(
            TermsAcceptance.document, TermsAcceptance.version, TermsAcceptance.accepted_at,
            TermsAcceptance.organisation_id)).all()
        assert {(a.document, a.version) for a in accepted} == {
            ("terms", terms.current_version("terms")), ("avv", terms.current_version("avv"))}
        assert all(a.accepted_at and a.organisation_id == user.organisation_id
                   for a in accepted)
        contract = db.session.scalar(sa.select(Contract))
        assert contract.status in ("active", "past_due")
        assert count(OrderConfirmation) == 1
    body = mailbox.body(user.email)
    assert f"EAP-{contract.id:06d}" in body
    assert "Netto" in body or "Net" in body
    assert terms.current_version("terms") in body
    assert f"/hr/orders/{contract.id}" in body
    page = client.get(f"/hr/orders/{contract.id}")
    assert page.status_code == 200 and 'data-testid="order-confirmed"' in page.get_data(
        as_text=True)
    pdf = client.get(f"/hr/orders/{contract.id}/order.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    # A second call (webhook retry, double click) sends nothing more.
    with app.test_request_context():
        from eap.billing import confirmation

        assert confirmation.send_pending() == 0
