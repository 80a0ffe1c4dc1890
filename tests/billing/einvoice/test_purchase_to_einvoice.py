"""End to end: HR books by invoice, Stripe finalises the first invoice (signed webhook), HR
downloads it from the contract page in both formats, and the invoice e-mail carries it."""

import re
import time

import pytest
import sqlalchemy as sa
from facturx import get_xml_from_pdf

from eap.billing.models import Contract
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.einvoice import helpers
from tests.conftest import login_hr, post_form

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api, mailbox):
    return stripe_env.settings(stripe_api, **mailbox.settings)


def test_a_booked_invoice_downloads_in_both_formats(app, client, make_organisation,
                                                    make_hr_user, make_package, stripe_api,
                                                    mailbox, assert_valid):
    package = make_package(slug="plus", price_year_cents=4300)
    stripe_api.add_price("plus", "year", 4300)
    organisation = make_organisation(street="Kirchweg 3", postcode="57072", city="Siegen",
                                     vat_id="DE136695976")
    login_hr(client, make_hr_user(organisation=organisation, role="owner"))
    post_form(client, "/hr/contract/e-invoice-settings",
              {"buyer_reference": "991-01234-44", "einvoice_format": "zugferd"},
              from_url="/hr/contract/new")
    booked = post_form(client, "/hr/contract/new", {"package": package.id, "seats": 30,
                                                    "interval": "year", "method": "invoice",
                                                    "accept_terms": "yes"},
                       from_url="/hr/contract/new")
    assert booked.status_code == 303
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        customer, subscription = contract.stripe_customer_id, contract.stripe_subscription_id

    # Stripe's first invoice: 30 × 43.00 € a year, 19 % VAT, due in 14 days.
    now = int(time.time())
    invoice = stripe_env.invoice("in_first", customer, subscription, status="open",
                                 total=153510)
    invoice.update({
        "number": "EAP-2026-0001", "subtotal": 129000, "tax": 24510, "amount_due": 153510,
        "collection_method": "send_invoice", "due_date": now + 14 * 86400,
        "lines": {"object": "list", "has_more": False, "data": [{
            "object": "line_item", "amount": 129000, "quantity": 30,
            "description": "30 × EAP Plus (jährlich)", "tax_amounts": [{"amount": 24510}],
            "period": {"start": now, "end": now + 365 * 86400}}]},
    })
    response = stripe_env.post_event(client, stripe_env.event("invoice.finalized", invoice))
    assert response.status_code == 200 and response.json["outcome"] == "applied"

    page = client.get("/hr/contract/").get_data(as_text=True)
    links = re.findall(r'href="(/hr/contract/e-invoices/\d+/[a-z]+\.(?:xml|pdf))"', page)
    assert len(links) == 2
    xml = client.get(links[0]).data
    _name, embedded = get_xml_from_pdf(client.get(links[1]).data, check_xsd=True)
    for document in (xml, embedded):
        assert_valid(document)
        assert helpers.text(document, "//rsm:ExchangedDocument/ram:ID") == "EAP-2026-0001"
        assert helpers.text(document, "//ram:BuyerReference") == "991-01234-44"
        assert helpers.totals(document) == {"net": 129000, "vat": 24510, "gross": 153510,
                                            "due": 153510}
        assert helpers.text(document, "//ram:SpecifiedTradeSettlementPaymentMeans/"
                                      "ram:TypeCode") == "58"
        assert helpers.text(document, "//ram:BuyerTradeParty/ram:Name") == organisation.name

    message = mailbox.wait_for(organisation.billing_email)
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "EAP-2026-0001-zugferd.pdf"
    assert get_xml_from_pdf(attachment.get_content(), check_xsd=True)[1] == embedded
