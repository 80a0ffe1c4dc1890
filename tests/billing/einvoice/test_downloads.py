"""The contract page's e-invoices: downloads (owner and billing only, own organisation only),
the Leitweg-ID and format setting, and the invoice e-mail that carries the e-invoice."""

import io
import time

import pytest
import sqlalchemy as sa
from facturx import get_xml_from_pdf
from pypdf import PdfReader

from eap.billing.einvoice.models import EInvoiceSource
from eap.billing.models import Invoice
from eap.employers.models import Organisation
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.einvoice import helpers
from tests.conftest import login_hr, post_form

ADDRESS = {"street": "Kirchweg 3", "postcode": "57072", "city": "Siegen",
           "vat_id": "DE136695976"}


@pytest.fixture
def app_settings(mailbox):
    return {"STRIPE_WEBHOOK_SECRET": stripe_env.WEBHOOK_SECRET,
            "STRIPE_API_BASE": stripe_env.NOWHERE, **mailbox.settings}


def paid_invoice(inv_id: str, customer: str, sub_id: str, collection="send_invoice") -> dict:
    """An invoice as Stripe sends it: 25 seats × 4.37 € with 19 % VAT."""
    now = int(time.time())
    invoice = stripe_env.invoice(inv_id, customer, sub_id, total=13001)
    invoice.update({
        "subtotal": 10925, "tax": 2076, "amount_due": 13001, "collection_method": collection,
        "due_date": now + 14 * 86400 if collection == "send_invoice" else None,
        "lines": {"object": "list", "has_more": False, "data": [{
            "object": "line_item", "amount": 10925, "quantity": 25,
            "description": "25 × Paket", "period": {"start": now, "end": now + 30 * 86400},
            "tax_amounts": [{"amount": 2076}]}]},
    })
    return invoice


class Users(dict):
    """HR users ``<role>_<side>`` of organisations A and B, made when first asked for
    (password hashing is slow)."""

    def __init__(self, make_hr_user, organisations):
        super().__init__()
        self.make_hr_user, self.organisations = make_hr_user, organisations

    def __missing__(self, key):
        role, side = key.split("_")
        self[key] = self.make_hr_user(organisation=self.organisations[side], role=role)
        return self[key]


@pytest.fixture
def world(app, make_organisation, make_contract, make_hr_user):
    """Organisations A and B, each with a contract at Stripe, and their HR users."""
    organisations = {}
    for side in ("a", "b"):
        organisations[side] = make_organisation(**ADDRESS)
        make_contract(organisation=organisations[side], seats=25,
                      stripe_customer_id=f"cus_{side}", stripe_subscription_id=f"sub_{side}")
    return Users(make_hr_user, organisations)


def signed_in(app, user):
    client = app.test_client()
    assert login_hr(client, user).status_code == 302
    return client


def deliver(app, invoice: dict, kind="invoice.paid", event_id=None) -> None:
    response = stripe_env.post_event(app.test_client(),
                                     stripe_env.event(kind, invoice, event_id=event_id))
    assert response.status_code == 200


def source_id(app, stripe_id: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(EInvoiceSource.id).where(EInvoiceSource.stripe_id == stripe_id))


@pytest.mark.parametrize("role", ["owner", "billing"])
def test_both_formats_download_from_the_contract_page(app, world, assert_valid, role):
    deliver(app, paid_invoice("in_A1", "cus_a", "sub_a"))
    client = signed_in(app, world[f"{role}_a"])
    page = client.get("/hr/contract/").get_data(as_text=True)
    number = source_id(app, "in_A1")
    xml_url = f"/hr/contract/e-invoices/{number}/xrechnung.xml"
    pdf_url = f"/hr/contract/e-invoices/{number}/zugferd.pdf"
    assert xml_url in page and pdf_url in page

    xml = client.get(xml_url)
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    assert "attachment" in xml.headers["Content-Disposition"]
    assert xml.headers["Cache-Control"] == "no-store"
    assert_valid(xml.data)
    assert helpers.totals(xml.data) == {"net": 10925, "vat": 2076, "gross": 13001,
                                        "due": 13001}
    assert helpers.text(xml.data, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
                        ).endswith("xrechnung_3.0")

    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    _name, embedded = get_xml_from_pdf(pdf.data, check_xsd=True)
    assert _name == "factur-x.xml"
    assert_valid(embedded)
    assert helpers.totals(embedded) == helpers.totals(xml.data)
    assert helpers.text(embedded, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
                        ) == "urn:cen.eu:en16931:2017"
    reader = PdfReader(io.BytesIO(pdf.data))
    metadata = reader.xmp_metadata
    assert metadata.pdfaid_part == "3" and metadata.pdfaid_conformance == "B"
    assert "/OutputIntents" in reader.trailer["/Root"]
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():  # PDF/A: every font embedded
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
    assert "Kirchweg 3" in reader.pages[0].extract_text()


def test_other_organisations_and_other_roles_cannot_download(app, world):
    deliver(app, paid_invoice("in_A1", "cus_a", "sub_a"))
    number = source_id(app, "in_A1")
    for fmt in ("xrechnung.xml", "zugferd.pdf"):
        url = f"/hr/contract/e-invoices/{number}/{fmt}"
        assert signed_in(app, world["owner_b"]).get(url).status_code == 404
        assert signed_in(app, world["billing_b"]).get(url).status_code == 404
        assert signed_in(app, world["manager_a"]).get(url).status_code == 403
        assert app.test_client().get(url).status_code == 302  # to the sign-in page
        assert signed_in(app, world["owner_a"]).get(
            f"/hr/contract/e-invoices/{number + 999}/{fmt}").status_code == 404


def test_the_leitweg_id_becomes_the_buyer_reference(app, world):
    deliver(app, paid_invoice("in_A1", "cus_a", "sub_a"))
    client = signed_in(app, world["billing_a"])
    url = f"/hr/contract/e-invoices/{source_id(app, 'in_A1')}/xrechnung.xml"
    assert helpers.text(client.get(url).data, "//ram:BuyerReference").startswith("EAP-V")
    saved = post_form(client, "/hr/contract/e-invoice-settings",
                      {"buyer_reference": " 04011000-1234512345-06 ", "einvoice_format": "none"},
                      from_url="/hr/contract/")
    assert saved.status_code == 303
    assert helpers.text(client.get(url).data, "//ram:BuyerReference") == "04011000-1234512345-06"
    refused = post_form(client, "/hr/contract/e-invoice-settings",
                        {"buyer_reference": "<script>", "einvoice_format": "xrechnung"},
                        from_url="/hr/contract/")
    assert refused.status_code == 303
    with app.app_context():
        organisation = db.session.get(Organisation, world["billing_a"].organisation_id)
        assert (organisation.buyer_reference, organisation.einvoice_format) == (
            "04011000-1234512345-06", "none")


def set_format(app, user, fmt: str) -> str:
    with app.app_context():
        organisation = db.session.get(Organisation, user.organisation_id)
        organisation.einvoice_format = fmt
        db.session.commit()
        return organisation.billing_email


def einvoice_mails(mailbox, address=None, wait=True):
    """The e-invoice mails (those with an attachment): the order confirmation (issue 17) that
    an activated contract also sends is not what these tests count."""
    deadline = time.monotonic() + (5 if wait else 0)
    while True:
        found = [m for m in mailbox.messages if any(True for _ in m.iter_attachments())
                 and (address is None or address in m["To"])]
        if found or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


@pytest.mark.parametrize("fmt", ["xrechnung", "zugferd"])
def test_the_invoice_email_carries_the_e_invoice_once(app, world, mailbox, assert_valid, fmt):
    address = set_format(app, world["owner_a"], fmt)
    invoice = paid_invoice("in_A1", "cus_a", "sub_a")
    deliver(app, invoice, "invoice.finalized")
    deliver(app, invoice, "invoice.finalized")  # a new event about the same invoice
    payload = stripe_env.event("invoice.paid", invoice)
    for _ in range(2):  # the same event delivered twice
        response = stripe_env.post_event(app.test_client(), payload)
        assert response.status_code == 200
    message = einvoice_mails(mailbox, address)[-1]
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    content = attachments[0].get_content()
    if fmt == "xrechnung":
        assert attachments[0].get_filename().endswith("-xrechnung.xml")
        assert_valid(content if isinstance(content, bytes) else content.encode())
    else:
        assert attachments[0].get_filename().endswith("-zugferd.pdf")
        assert_valid(get_xml_from_pdf(content, check_xsd=True)[1])
    time.sleep(0.3)
    assert len(einvoice_mails(mailbox, address, wait=False)) == 1


def test_no_email_without_a_chosen_format_and_none_for_other_organisations(app, world, mailbox):
    set_format(app, world["owner_b"], "zugferd")
    deliver(app, paid_invoice("in_A1", "cus_a", "sub_a"))
    time.sleep(0.3)
    assert einvoice_mails(mailbox, wait=False) == []


def test_a_card_invoice_is_mailed_when_paid_not_when_finalised(app, world, mailbox):
    address = set_format(app, world["owner_a"], "xrechnung")
    invoice = paid_invoice("in_A1", "cus_a", "sub_a", collection="charge_automatically")
    deliver(app, {**invoice, "status": "open"}, "invoice.finalized")
    time.sleep(0.3)
    assert einvoice_mails(mailbox, wait=False) == []
    deliver(app, invoice, "invoice.paid")
    assert einvoice_mails(mailbox, address)
    with app.app_context():
        assert db.session.scalar(sa.select(Invoice.status)) == "paid"


def test_parallel_deliveries_mail_each_e_invoice_once(app, world, mailbox):
    """Several webhook requests finishing at the same moment claim the same e-mail: one wins."""
    import threading

    from eap.billing.einvoice import mailing

    address = set_format(app, world["owner_a"], "xrechnung")
    with app.app_context():  # recorded, not yet mailed
        from eap.billing.einvoice import record
        from eap.billing.models import Contract

        contract_id = db.session.scalar(sa.select(Contract.id).where(
            Contract.organisation_id == world.organisations["a"].id))
        db.session.add(Invoice(contract_id=contract_id, stripe_invoice_id="in_A1"))
        db.session.flush()
        record.record_invoice(paid_invoice("in_A1", "cus_a", "sub_a"), int(time.time()))
        db.session.commit()
    barrier, sent = threading.Barrier(6), []

    def deliver_pending():
        with app.app_context():
            barrier.wait()
            sent.append(mailing.deliver_pending())

    threads = [threading.Thread(target=deliver_pending) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 0, 0, 0, 0, 1]
    assert einvoice_mails(mailbox, address)
    time.sleep(0.3)
    assert len(einvoice_mails(mailbox, wait=False)) == 1
