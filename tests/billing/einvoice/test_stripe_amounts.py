"""Amounts agree with Stripe's to the cent: invoices the emulator computed (many seat counts,
prices and intervals, with a prorated seat change) and credit notes, through signed webhooks.

Every e-invoice made here, XRechnung and the XML inside the ZUGFeRD PDF, is also validated
against the CII XSD and the EN 16931 and XRechnung Schematron.
"""

import secrets
import time

import pytest
import sqlalchemy as sa
import stripe
from facturx import get_xml_from_pdf
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eap.billing.einvoice import documents
from eap.billing.einvoice.models import EInvoiceSource
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.einvoice import helpers

pytestmark = pytest.mark.stripe

ADDRESS = {"street": "Kirchweg 3", "postcode": "57072", "city": "Siegen",
           "vat_id": "DE136695976"}


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


@pytest.fixture
def subscribe(app, client, make_organisation, make_contract, make_package, stripe_api):
    """A paying customer at the emulator with a contract here; returns (contract, sub)."""
    stripe.api_base, stripe.api_key = stripe_api.url, stripe_env.API_KEY

    def make(seats: int, cents: int, interval: str, method: str = "pm_card_visa"):
        slug = "p" + secrets.token_hex(4)
        package = make_package(slug=slug)
        price = stripe_api.add_price(slug, interval, cents)
        customer = stripe.Customer.create(name="Muster e. V.")
        if method == "sepa_debit":
            method = stripe.PaymentMethod.create(
                type="sepa_debit", sepa_debit={"iban": "DE89370400440532013000"},
                billing_details={"name": "Muster e. V.", "email": "konto@muster.example"}).id
        stripe.PaymentMethod.attach(method, customer=customer.id)
        stripe.Customer.modify(customer.id, invoice_settings={"default_payment_method": method})
        sub = stripe.Subscription.create(
            customer=customer.id, items=[{"plan": price["id"], "quantity": seats}],
            default_tax_rates=[stripe_api.vat_rate])
        contract = make_contract(
            organisation=make_organisation(**ADDRESS), package=package, seats=seats,
            interval=interval, stripe_customer_id=customer.id, stripe_subscription_id=sub.id)
        return contract, sub

    return make


def deliver(client, kind: str, obj: dict) -> None:
    response = stripe_env.post_event(client, stripe_env.event(kind, obj))
    assert response.status_code == 200 and response.json["outcome"] == "applied"


def both_formats(app, stripe_id: str) -> list[bytes]:
    with app.app_context():
        source = db.session.scalar(
            sa.select(EInvoiceSource).where(EInvoiceSource.stripe_id == stripe_id))
        xml = documents.xrechnung(source)
        _name, embedded = get_xml_from_pdf(documents.zugferd(source), check_xsd=True)
    return [xml, embedded]


def check_invoice(app, assert_valid, invoice: dict) -> None:
    lines = invoice["lines"]["data"]
    for xml in both_formats(app, invoice["id"]):
        assert_valid(xml)
        # Stripe's total is subtotal + VAT (no discounts here), negative after a downgrade,
        # when the amount due is 0 and the credit goes to the customer's balance; the emulator
        # shows such a total as 0.
        gross = invoice["subtotal"] + invoice["tax"]
        assert invoice["total"] == max(gross, 0)
        assert helpers.totals(xml) == {
            "net": invoice["subtotal"], "vat": invoice["tax"], "gross": gross,
            "due": invoice["amount_due"]}
        found = helpers.lines(xml)
        assert [line["net"] for line in found] == [line["amount"] for line in lines]
        assert all(line["computed"] == line["net"] for line in found)


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seats=st.integers(1, 5000), cents=st.integers(1, 99_999),
       interval=st.sampled_from(["month", "year"]), new_seats=st.integers(1, 5000))
def test_invoices_agree_with_stripe(app, client, subscribe, assert_valid,
                                    seats, cents, interval, new_seats):
    _contract, sub = subscribe(seats, cents, interval)
    first = stripe.Invoice.retrieve(sub.latest_invoice).to_dict()
    assert first["status"] == "paid" and first["lines"]["data"][0]["quantity"] == seats
    deliver(client, "invoice.paid", first)
    check_invoice(app, assert_valid, first)
    # Paid by card: the e-invoice says so, with the card's last four digits only.
    xml = both_formats(app, first["id"])[0]
    assert helpers.text(xml, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "54"
    assert helpers.text(xml, "//ram:ApplicableTradeSettlementFinancialCard/ram:ID") == "4242"

    if new_seats != seats:  # a seat change: Stripe prorates it on the next invoice
        item = sub["items"]["data"][0]["id"]
        stripe.Subscription.modify(sub.id, items=[{"id": item, "quantity": new_seats}])
    draft = stripe.Invoice.create(customer=sub.customer, subscription=sub.id)
    paid = stripe.Invoice.pay(draft.id).to_dict()
    if new_seats != seats:
        assert any(line.get("proration") for line in paid["lines"]["data"])
    deliver(client, "invoice.paid", paid)
    check_invoice(app, assert_valid, paid)


def stripe_credit_note(invoice: dict, lines: list[tuple[int, int, str]]) -> dict:
    """A credit note as Stripe sends it: per line the credited net amount and its VAT
    (rounded per line, half up), and the totals as the sums."""
    data, subtotal, tax = [], 0, 0
    for amount, quantity, description in lines:
        vat = (amount * 19 + 50) // 100
        data.append({"object": "credit_note_line_item", "amount": amount,
                     "amount_excluding_tax": amount, "quantity": quantity,
                     "description": description, "tax_amounts": [{"amount": vat}]})
        subtotal, tax = subtotal + amount, tax + vat
    return {"id": "cn_" + secrets.token_hex(6), "object": "credit_note",
            "invoice": invoice["id"], "number": f"{invoice['id'][-6:]}-CN-01",
            "created": int(time.time()), "currency": "eur", "status": "issued",
            "reason": "order_change", "refunds": [{"refund": "re_1", "amount_refunded": 0}],
            "subtotal": subtotal, "subtotal_excluding_tax": subtotal,
            "total": subtotal + tax, "total_excluding_tax": subtotal, "amount": subtotal + tax,
            "lines": {"object": "list", "data": data, "has_more": False}}


@pytest.mark.parametrize("refund", ["full", "partial"])
def test_credit_notes_agree_with_stripe(app, client, subscribe, assert_valid, refund):
    _contract, sub = subscribe(37, 463, "month")
    invoice = stripe.Invoice.retrieve(sub.latest_invoice).to_dict()
    deliver(client, "invoice.paid", invoice)
    line = invoice["lines"]["data"][0]
    if refund == "full":
        note = stripe_credit_note(invoice, [(line["amount"], 37, "Refund")])
    else:  # 11 seats for 17 of 30 days, as Stripe would prorate them
        note = stripe_credit_note(invoice, [(round(463 * 11 * 17 / 30), 11, "Partial refund")])
    deliver(client, "credit_note.created", note)
    for xml in both_formats(app, note["id"]):
        assert_valid(xml)
        assert helpers.text(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
        assert helpers.totals(xml) == {"net": note["subtotal"], "vat": note["total"]
                                       - note["subtotal"], "gross": note["total"],
                                       "due": note["total"]}
        assert [x["net"] for x in helpers.lines(xml)] == [note["lines"]["data"][0]["amount"]]


def test_a_credit_note_of_an_unknown_invoice_is_ignored(client):
    note = stripe_credit_note({"id": "in_unknown"}, [(1000, 1, "Refund")])
    response = stripe_env.post_event(client, stripe_env.event("credit_note.created", note))
    assert response.status_code == 200 and response.json["outcome"] == "ignored"


def test_a_sepa_direct_debit_names_mandate_creditor_and_masked_account(app, client, subscribe,
                                                                        assert_valid):
    _contract, sub = subscribe(12, 400, "month", method="sepa_debit")
    invoice = stripe.Invoice.retrieve(sub.latest_invoice).to_dict()
    deliver(client, "invoice.paid", invoice)
    check_invoice(app, assert_valid, invoice)
    mandate = stripe.PaymentMethod.retrieve(
        stripe.Customer.retrieve(sub.customer).invoice_settings.default_payment_method
    ).to_dict()["sepa_debit"]["mandate_reference"]
    for xml in both_formats(app, invoice["id"]):
        assert helpers.text(xml, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "59"
        assert helpers.text(xml, "//ram:DirectDebitMandateID") == mandate
        assert helpers.text(xml, "//ram:CreditorReferenceID") == app.config[
            "SELLER_SEPA_CREDITOR_ID"]
        iban = helpers.text(xml, "//ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
        assert iban.startswith("DE") and iban.endswith("3000") and "0532013" not in iban
