"""The EN 16931 document itself: every way of paying, credit notes, and the validators."""

import time

import pytest

from eap.billing.einvoice import cii, snapshot
from tests.billing.einvoice import helpers, validation

SELLER = cii.Seller(
    name="iGuS GmbH", street="Musterstraße 1", postcode="57072", city="Siegen", country="DE",
    vat_id="DE000000000", email="rechnung@igus-eap.example", contact="Buchhaltung",
    phone="+49 271 0000000", iban="DE02120300000000202051", bic="BYLADEM1001",
    creditor_id="DE98ZZZ09999999999",
)
BUYER = cii.Party(name="Diakoniestation Muster e. V.", street="Weg 2", postcode="57072",
                  city="Siegen", country="DE", vat_id="DE136695976",
                  email="rechnung@muster.example")
CONTEXT = cii.Context(SELLER, BUYER, "04011000-1234512345-06", "EAP-V1", "EAP – Paket 1")
NOW = int(time.time())


def stripe_invoice(collection="charge_automatically", **extra) -> dict:
    """A Stripe invoice after a seat change: the new period plus two prorations."""
    lines = [
        {"description": "20 × Paket 1", "amount": 8740, "quantity": 20,
         "period": {"start": NOW, "end": NOW + 30 * 86400}, "tax_amounts": [{"amount": 1661}]},
        {"description": "Unused time on 13 × Paket 1", "amount": -2841, "quantity": 13,
         "proration": True, "period": {"start": NOW, "end": NOW + 15 * 86400},
         "tax_amounts": [{"amount": -540}]},
        {"description": "Remaining time on 20 × Paket 1", "amount": 4371, "quantity": 20,
         "proration": True, "period": {"start": NOW, "end": NOW + 15 * 86400},
         "tax_amounts": [{"amount": 830}]},
    ]
    return {"id": "in_1", "object": "invoice", "number": "EAP-0042", "status": "paid",
            "created": NOW, "due_date": NOW + 14 * 86400 if collection == "send_invoice" else None,
            "currency": "eur", "collection_method": collection, "subtotal": 10270,
            "tax": 1951, "total": 12221, "amount_due": 12221,
            "lines": {"data": lines, "has_more": False}, **extra}


PAYMENTS = {
    "transfer": ("send_invoice", None, "58"),
    "card": ("charge_automatically", {"type": "card", "last4": "4242"}, "54"),
    "sepa": ("charge_automatically",
             {"type": "sepa_debit", "iban": "DE****************3000", "mandate": "MNDT-7"}, "59"),
    "unknown": ("charge_automatically", None, "1"),
}


@pytest.mark.parametrize("guideline", [cii.XRECHNUNG, cii.FACTURX_EN16931])
@pytest.mark.parametrize("way", sorted(PAYMENTS))
def test_every_way_of_paying_gives_a_valid_invoice(assert_valid, way, guideline):
    collection, payment, code = PAYMENTS[way]
    snap = snapshot.invoice(stripe_invoice(collection), payment)
    xml = cii.build(snap, CONTEXT, guideline)
    assert_valid(xml)
    assert helpers.text(xml, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == code
    assert helpers.text(xml, "//ram:BuyerReference") == "04011000-1234512345-06"
    assert helpers.totals(xml) == {"net": 10270, "vat": 1951, "gross": 12221, "due": 12221}
    if way == "transfer":
        assert helpers.text(xml, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == (
            SELLER.iban)
    if way == "sepa":
        assert helpers.text(xml, "//ram:DirectDebitMandateID") == "MNDT-7"
        assert helpers.text(xml, "//ram:CreditorReferenceID") == SELLER.creditor_id


def test_prorated_lines_keep_stripes_amounts_and_prices_are_never_negative(assert_valid):
    xml = cii.build(snapshot.invoice(stripe_invoice()), CONTEXT)
    assert_valid(xml)
    found = helpers.lines(xml)
    assert [line["net"] for line in found] == [8740, -2841, 4371]
    assert all(line["computed"] == line["net"] for line in found)
    assert all(line["price"] >= 0 for line in found)


def test_a_credit_note_refers_to_its_invoice(assert_valid):
    note = {"id": "cn_1", "object": "credit_note", "number": "EAP-0042-CN-01",
            "created": NOW, "currency": "eur", "invoice": "in_1", "subtotal": 8740,
            "total": 10401, "reason": "order_change",
            "lines": {"data": [{"description": "20 × Paket 1", "amount": 8740, "quantity": 20,
                                "tax_amounts": [{"amount": 1661}]}]}}
    xml = cii.build(snapshot.credit_note(note, "EAP-0042", NOW - 86400), CONTEXT)
    assert_valid(xml)
    assert helpers.text(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert helpers.text(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == (
        "EAP-0042")
    assert helpers.totals(xml) == {"net": 8740, "vat": 1661, "gross": 10401, "due": 10401}


def test_the_validators_catch_what_xrechnung_forbids(rules):
    """The checks can fail: no buyer reference, and a VAT total far from 19 %."""
    snap = snapshot.invoice(stripe_invoice())
    no_reference = cii.build(snap, cii.Context(SELLER, BUYER, "", "EAP-V1", "EAP"))
    found = validation.schematron_errors(no_reference, rules)
    assert [f.rule for f in found["XRechnung"]] == ["BR-DE-15"]
    wrong_vat = cii.build({**snap, "tax": snap["tax"] + 500}, CONTEXT)
    rules_broken = {f.rule for f in validation.schematron_errors(wrong_vat, rules)["EN16931"]}
    assert "BR-CO-17" in rules_broken
    assert validation.xsd_errors(b"<rsm:CrossIndustryInvoice xmlns:rsm='"
                                 + helpers.NS["rsm"].encode() + b"'/>")
