"""The 19 % German VAT rate every subscription carries (docs/billing.md)."""

from __future__ import annotations

import time

import stripe
from flask import current_app

from eap.billing.gateway.client import CatalogueIncomplete, GatewayError, call, log, plain

VAT_TAG = "vat_de_19"  # metadata["eap"] of the tax rate that sync-stripe keeps
VAT_PERCENT = 19.0
VAT_RATE_LIFETIME = 300  # seconds; sync-stripe may replace the rate at any time


def _tagged_vat_rate() -> dict | None:
    rates = plain(call("tax_rate.list", stripe.TaxRate.list, limit=100)).get("data") or []
    for rate in rates:
        if (rate.get("active") is True and (rate.get("metadata") or {}).get("eap") == VAT_TAG
                and float(rate.get("percentage") or 0) == VAT_PERCENT
                and not rate.get("inclusive")):
            return rate
    return None


def sync_vat_rate() -> tuple[str, str]:
    """Keep one exclusive 19 % German VAT rate at Stripe; returns (its id, "kept"/"created")."""
    found = _tagged_vat_rate()
    if found:
        return found["id"], "kept"
    created = call(
        "tax_rate.create", stripe.TaxRate.create, display_name="USt.",
        description="Umsatzsteuer 19 %", jurisdiction="DE", percentage=VAT_PERCENT,
        inclusive=False, metadata={"eap": VAT_TAG},
    )
    return created["id"], "created"


def vat_rates() -> list[str]:
    """The VAT rate every subscription carries: ``EAP_STRIPE_TAX_RATE_ID`` when set, else the
    one sync-stripe keeps, remembered for a few minutes. Never silently none."""
    configured = current_app.config["STRIPE_TAX_RATE_ID"]
    if configured:
        return [configured]
    cache = current_app.extensions.setdefault("eap_vat_rate", {})
    if "id" not in cache or time.monotonic() - cache["at"] > VAT_RATE_LIFETIME:
        found = _tagged_vat_rate()
        if found is None:
            cache.clear()
            raise CatalogueIncomplete("tax_rate.missing")
        cache.update(id=found["id"], at=time.monotonic())
    return [cache["id"]]


def with_vat(what: str, create):
    """``create(rates)``; if Stripe refuses, the remembered rate may have been replaced by
    sync-stripe meanwhile: look it up again and try once more when it changed."""
    rates = vat_rates()
    try:
        return create(rates)
    except GatewayError:
        current_app.extensions.get("eap_vat_rate", {}).clear()
        fresh = vat_rates()
        if fresh == rates:
            raise
        log.info("stripe %s: VAT rate was replaced; retrying with the current one", what)
        return create(fresh)
