"""What an HR user is told when a billing action fails: one mapping for every billing view.

``redirect_on_failure(url)`` wraps a view's call into ``services``/``changes``. If the call
fails in one of the expected ways, the session is rolled back (nothing half-done is committed),
the reason is flashed, and the request answers with a redirect to ``url``:

- ``BillingError``: a rule refused the action; its own message is shown;
- ``StaleDataError``: another HR user changed the contract meanwhile;
- ``CatalogueIncomplete``: a price or the VAT rate is missing at Stripe (shown as ``incomplete``
  where the view passes one, else like an unreachable Stripe);
- ``GatewayError``: Stripe refused or could not be reached (``unreachable``).

Anything else propagates to the error pages.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import abort, flash, redirect
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from eap.billing import changes, services
from eap.billing.gateway import CatalogueIncomplete, GatewayError
from eap.extensions import db

UNREACHABLE = _l("The payment service could not be reached. Nothing was booked or changed; "
                 "please try again in a few minutes.")
UNREACHABLE_ORDER_SAVED = _l("The payment service could not be reached. Your order is saved: "
                             "continue paying here in a few minutes, or cancel the order.")
CATALOGUE_INCOMPLETE = _l("This package cannot be booked online at the moment. Nothing was "
                          "booked; iGuS has been notified. Please try again later or write to "
                          "us.")


def message_for(failure: Exception, unreachable=UNREACHABLE, incomplete=None) -> str | None:
    """The user's message for an expected failure, or None for anything else."""
    if isinstance(failure, services.BillingError):
        return str(failure)
    if isinstance(failure, StaleDataError):
        return str(changes.CHANGED)
    if isinstance(failure, CatalogueIncomplete) and incomplete is not None:
        return str(incomplete)
    if isinstance(failure, GatewayError):
        return str(unreachable)
    return None


@contextmanager
def redirect_on_failure(url: str, code: int = 302, *, unreachable=UNREACHABLE, incomplete=None):
    """Run the block; on an expected failure roll back, flash why and redirect to ``url``."""
    try:
        yield
    except (services.BillingError, StaleDataError, GatewayError) as failure:
        db.session.rollback()
        flash(message_for(failure, unreachable, incomplete), "error")
        abort(redirect(url, code))
