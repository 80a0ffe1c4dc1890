"""Products and prices at Stripe: what ``flask sync-stripe`` keeps and orders look up."""

from __future__ import annotations

import stripe

from eap.billing.gateway.client import CatalogueIncomplete, GatewayError, call, configure, plain


def lookup_key(slug: str, interval: str) -> str:
    return f"{slug}_{interval}"


def find_price(slug: str, interval: str) -> dict | None:
    """The active price with lookup key ``<slug>_<interval>``, or None."""
    found = call(
        "price.list",
        stripe.Price.list,
        lookup_keys=[lookup_key(slug, interval)],
        active=True,
        limit=1,
    )
    data = plain(found).get("data") or []
    return data[0] if data else None


def price_id(slug: str, interval: str) -> str:
    price = find_price(slug, interval)
    if price is None:
        raise CatalogueIncomplete("price.missing")
    return price["id"]


def sync_product(slug: str, name: str, description: str, active: bool) -> str:
    """Create or update the product ``eap_<slug>``; returns its id."""
    product_id = f"eap_{slug}"
    fields = {"name": name, "description": description, "active": active}
    configure()
    try:
        stripe.Product.retrieve(product_id)
    except stripe.InvalidRequestError:
        return call("product.create", stripe.Product.create, id=product_id, **fields)["id"]
    except stripe.StripeError as error:
        raise GatewayError("product.retrieve") from error
    return call("product.modify", stripe.Product.modify, product_id, **fields)["id"]


def sync_price(product_id: str, slug: str, interval: str, cents: int, active: bool) -> str:
    """Make the price behind ``<slug>_<interval>`` match; prices are immutable, so a new
    amount means a new price that takes over the lookup key. Returns "kept"/"created"/..."""
    current = find_price(slug, interval)
    if current and current["unit_amount"] == cents and current["product"] == product_id:
        if not active:
            call("price.modify", stripe.Price.modify, current["id"], active=False)
            return "deactivated"
        return "kept"
    if not active:
        return "absent"
    call(
        "price.create",
        stripe.Price.create,
        product=product_id,
        currency="eur",
        unit_amount=cents,
        recurring={"interval": interval},
        lookup_key=lookup_key(slug, interval),
        transfer_lookup_key=True,
        tax_behavior="exclusive",
    )
    if current:
        call("price.modify", stripe.Price.modify, current["id"], active=False)
        return "replaced"
    return "created"
