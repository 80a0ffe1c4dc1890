"""EN 16931 e-invoices (XRechnung CII XML, ZUGFeRD/Factur-X PDF/A-3) for Stripe's invoices and
credit notes: docs/einvoices.md. Only ``eap.billing.gateway`` talks to Stripe."""
