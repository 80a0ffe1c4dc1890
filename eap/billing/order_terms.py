"""The order page's terms: the tick for the terms of service and the AVV, and the saving shown."""

from __future__ import annotations

from eap.billing.price_display import seat_prices
from eap.billing.pricing import quote
from eap.employers import terms


def review_context(package, seats: int) -> dict:
    """What the review page shows next to the quote: versions to accept, the yearly saving."""
    monthly, yearly = quote(package, seats, "month"), quote(package, seats, "year")
    return {
        "terms_versions": {d: terms.current_version(d) for d in ("terms", "avv")},
        "prices": seat_prices(package),
        "yearly_saving_cents": max(12 * monthly.gross_cents - yearly.gross_cents, 0),
    }


def accepted_in(form) -> bool:
    return form.get("accept_terms") == "yes"


def order_args(form) -> dict:
    return {name: getattr(form, name).data for name in ("package", "seats", "interval", "method")}


def record(user) -> None:
    """The current versions, accepted now by ``user`` for the organisation (flushes)."""
    terms.accept_current(user.organisation_id, user.id)
