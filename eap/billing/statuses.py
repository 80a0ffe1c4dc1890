"""How a Stripe subscription status maps onto the contract's status."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "pending": _l("Pending (waiting for payment)"),
    "active": _l("Active"),
    "past_due": _l("Payment overdue"),
    "cancelled": _l("Cancelled at the end of the period"),
    "ended": _l("Ended"),
}


def from_stripe(status: str, cancel_at_period_end: bool, deleted: bool = False) -> str:
    if deleted or status in ("canceled", "incomplete_expired"):
        return "ended"
    if status in ("past_due", "unpaid"):
        return "past_due"
    if status in ("active", "trialing"):
        return "cancelled" if cancel_at_period_end else "active"
    return "pending"  # incomplete, paused: not yet usable
