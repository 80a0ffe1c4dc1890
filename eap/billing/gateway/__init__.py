"""The one place that talks to Stripe (DESIGN.md §4). Nothing outside this package imports
``stripe``; the rest of the portal uses the functions exported here.

Every call goes through ``client.call``: the SDK is configured from the app config, never
retries on its own, and any Stripe error becomes ``GatewayError`` — logged by error type only,
never with personal data. Every call that creates or changes something takes an idempotency key
derived from what the portal committed before the call (the contract id and its version): if the
answer is lost, the same call again returns the first result instead of a second customer or
subscription.

- ``client``: SDK set-up, the error mapping, the portal's own exceptions;
- ``catalogue``: products and prices (``flask sync-stripe``, price look-ups);
- ``tax``: the 19 % VAT rate every subscription carries;
- ``checkout``: customers, Checkout Sessions, the customer portal;
- ``subscriptions``: invoice-collected subscriptions, seat/package changes, cancelling, previews;
- ``invoices``: paid invoices, their lines and payment means (e-invoices);
- ``webhooks``: verifying a webhook's signature and freshness.
"""

from eap.billing.gateway.catalogue import find_price, lookup_key, price_id, sync_price, sync_product
from eap.billing.gateway.checkout import (
    checkout_session,
    create_checkout_session,
    create_customer,
    expire_checkout_session,
    portal_url,
)
from eap.billing.gateway.client import CatalogueIncomplete, GatewayError, WebhookRejected
from eap.billing.gateway.invoices import invoice_lines, invoice_payment, list_paid_invoices
from eap.billing.gateway.subscriptions import (
    change_price,
    change_seats,
    create_invoice_subscription,
    fetch_subscription,
    preview_seats,
    set_cancel_at_period_end,
)
from eap.billing.gateway.tax import sync_vat_rate, vat_rates
from eap.billing.gateway.webhooks import verify_event

__all__ = [
    "CatalogueIncomplete", "GatewayError", "WebhookRejected",
    "change_price", "change_seats", "checkout_session", "create_checkout_session",
    "create_customer", "create_invoice_subscription", "expire_checkout_session",
    "fetch_subscription", "find_price", "invoice_lines", "invoice_payment",
    "list_paid_invoices", "lookup_key", "portal_url", "preview_seats", "price_id",
    "set_cancel_at_period_end", "sync_price", "sync_product", "sync_vat_rate", "vat_rates",
    "verify_event",
]
