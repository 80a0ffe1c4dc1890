"""Terms before the order, and the order confirmation (e-mail and PDF) right after it."""

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eap.billing.confirmation_models import OrderConfirmation
from eap.billing.models import Contract
from eap.billing.pricing import quote
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


def _speak(client, language: str) -> None:
    with client.session_transaction() as browser_session:
        browser_session["lang"] = language


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# What each language must show: its own words, its own number and date notation.
SPOKEN = {
    "en": {"words": ("Your order with iGuS: Package", "Thank you for your order", "Total (gross)",
                     "Order confirmation"),
           "total": "1,535.10 EUR", "date": r"Date:? [A-Z][a-z]{2} \d{1,2}, \d{4}",
           "foreign": ("Gesamt (brutto)", "Bestellbestätigung", "1.535,10")},
    "de": {"words": ("Ihre Bestellung bei iGuS: Paket", "Vielen Dank für Ihre Bestellung",
                     "Gesamt (brutto)", "Bestellbestätigung"),
           "total": "1.535,10 EUR", "date": r"Datum:? \d{2}\.\d{2}\.\d{4}",
           "foreign": ("Total (gross)", "Order confirmation", "1,535.10")},
}


def _check(text: str, language: str, words: tuple[str, ...]) -> None:
    expected = SPOKEN[language]
    text = text.replace("\u00a0", " ")
    assert all(word in text for word in words), text
    assert expected["total"] in text and re.search(expected["date"], text), text
    assert not any(word in text for word in expected["foreign"]), text


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_confirmation_speaks_the_language_the_order_was_placed_in(
        app, client, buyer, mailbox, language):
    user, package = buyer
    _speak(client, language)
    post_form(client, "/hr/contract/new", {"package": package.id, **ORDER, "accept_terms": "yes"},
              from_url="/hr/contract/new")
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        assert contract.language == language
        assert quote(contract.package, 30, "year").gross_cents == 153510
    message = mailbox.wait_for(user.email)
    words = SPOKEN[language]["words"]
    assert words[0] in message["Subject"]
    _check(message.get_content(), language, words[1:3])
    # The PDF, downloaded later, speaks whoever downloads it: first the buyer's language...
    pdf = client.get(f"/hr/orders/{contract.id}/order.pdf")
    _check(_pdf_text(pdf.data), language, words[2:])
    # ...then the other one, for a colleague who reads the portal in it.
    other = "de" if language == "en" else "en"
    _speak(client, other)
    _check(_pdf_text(client.get(f"/hr/orders/{contract.id}/order.pdf").data), other,
           SPOKEN[other]["words"][2:])
