"""E-invoices in Chromium: the contract page (axe), downloading ZUGFeRD and XRechnung, and
storing a Leitweg-ID that the next download carries."""

from __future__ import annotations

import time
from pathlib import Path

from facturx import get_xml_from_pdf

from eap.billing.einvoice import record
from eap.billing.models import Invoice
from eap.extensions import db
from tests.billing.einvoice import helpers
from tests.billing.einvoice.test_downloads import ADDRESS, paid_invoice
from tests.conftest import PASSWORD


def test_download_both_formats_and_set_a_leitweg_id(page, visit, check_page, app,
                                                     make_organisation, make_contract,
                                                     make_hr_user):
    organisation = make_organisation(name="Diakoniestation Muster e. V.", **ADDRESS)
    contract = make_contract(organisation=organisation, seats=25, stripe_customer_id="cus_a",
                             stripe_subscription_id="sub_a")
    with app.app_context():  # what the webhook stores for Stripe's invoice
        db.session.add(Invoice(contract_id=contract.id, stripe_invoice_id="in_A1",
                               number="EAP-0001", status="paid", total_cents=13001))
        db.session.flush()
        record.record_invoice(paid_invoice("in_A1", "cus_a", "sub_a"), int(time.time()))
        db.session.commit()
    billing = make_hr_user(organisation=organisation, role="billing")

    visit(page, "/hr/login")
    page.fill("#email", billing.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    visit(page, "/hr/contract/")

    with page.expect_download() as download:
        page.locator("main a[href$='/zugferd.pdf']").click()
    pdf = Path(download.value.path()).read_bytes()
    name, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml" and download.value.suggested_filename.endswith(".pdf")
    assert helpers.totals(xml)["gross"] == 13001

    page.fill("#buyer_reference", "04011000-1234512345-06")
    page.locator("label[for=einvoice_format-1]").click()  # XRechnung in the e-mail
    with page.expect_navigation():
        page.locator("main form[action$='/e-invoice-settings'] [type=submit]").click()
    check_page(page)
    assert page.input_value("#buyer_reference") == "04011000-1234512345-06"
    assert page.is_checked("#einvoice_format-1")
    with page.expect_download() as download:
        page.locator("main a[href$='/xrechnung.xml']").click()
    xml = Path(download.value.path()).read_bytes()
    assert helpers.text(xml, "//ram:BuyerReference") == "04011000-1234512345-06"
