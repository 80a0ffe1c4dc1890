"""Reading an e-invoice back: the figures a receiver's software takes from the CII XML."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SUM = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"


def text(xml: bytes, path: str) -> str:
    found = etree.fromstring(xml).xpath(path, namespaces=NS)
    assert found, path
    return found[0].text


def cents(xml: bytes, path: str) -> int:
    value = Decimal(text(xml, path)) * 100
    assert value == value.to_integral_value(), f"{path} has more than 2 decimals"
    return int(value)


def totals(xml: bytes) -> dict:
    return {
        "net": cents(xml, SUM + "LineTotalAmount"),
        "vat": cents(xml, SUM + "TaxTotalAmount"),
        "gross": cents(xml, SUM + "GrandTotalAmount"),
        "due": cents(xml, SUM + "DuePayableAmount"),
    }


def lines(xml: bytes) -> list[dict]:
    """Each line's net amount, and quantity × net price / price base quantity recomputed."""
    found = []
    for item in etree.fromstring(xml).xpath("//ram:IncludedSupplyChainTradeLineItem",
                                            namespaces=NS):
        def one(path, node=item):
            hits = node.xpath(path, namespaces=NS)
            return Decimal(hits[0].text) if hits else None

        quantity = one("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
        price = one("ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                    "ram:ChargeAmount")
        base = one("ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                   "ram:BasisQuantity") or Decimal(1)
        net = one("ram:SpecifiedLineTradeSettlement/"
                  "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")
        found.append({"net": int(net * 100), "computed": quantity * price / base * 100,
                      "price": price})
    return found
