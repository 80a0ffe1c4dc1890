"""A local stand-in for Stripe, for development and tests only (never in production).

``localstripe`` (a development dependency) emulates most of Stripe's API; ``standin`` sits in
front of it and answers what it lacks (Prices, Checkout Sessions, the customer portal,
subscriptions collected by invoice, idempotency keys) and completes a checkout the way Stripe
would: by sending correctly signed webhook events to the portal. ``make run`` starts it through
``python -m eap.billing.emulator`` (see docs/billing.md).
"""
