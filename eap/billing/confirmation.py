"""Order confirmation: one e-mail per contract once it is active, and the order as a PDF.

The e-mail is written in the language the order was placed in (``Contract.language``); the PDF,
downloaded later, in the language of whoever downloads it. Amounts and dates follow that language.

``send_pending`` is called after a commit that may have made a contract active (the purchase
view, the Stripe webhook). It records the confirmation first (unique per contract, so two
callers at once send one e-mail), commits, then sends.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale, format_currency, format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from eap import mail, transactions
from eap.billing import contracts
from eap.billing.confirmation_models import OrderConfirmation
from eap.billing.models import Contract
from eap.billing.pricing import VAT_PERCENT, quote
from eap.employers import terms
from eap.employers.links import public_url
from eap.employers.models import HrUser
from eap.extensions import db
from eap.models import utcnow
from eap.pdf import Document

log = logging.getLogger(__name__)
# Contracts activated before this feature existed are not confirmed after the fact.
RECENT = timedelta(days=3)
# Like the invoice, the currency as "EUR" after the amount (the PDF fonts have no euro sign);
# grouping and decimal mark are the language's: 1.234,50 EUR / 1,234.50 EUR.
EURO_FORMAT = "#,##0.00\u00a0\u00a4\u00a4"


def _unconfirmed(organisation_id: int | None) -> list[Contract]:
    query = (
        sa.select(Contract)
        .outerjoin(OrderConfirmation, OrderConfirmation.contract_id == Contract.id)
        .where(OrderConfirmation.id.is_(None), Contract.status.in_(contracts.RUNNING_STATUSES),
               Contract.created_at >= utcnow() - RECENT)
    )
    if organisation_id is not None:
        query = query.where(Contract.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def send_pending(organisation_id: int | None = None) -> int:
    """Confirm every recently activated contract not yet confirmed; returns how many."""
    sent = 0
    for contract in _unconfirmed(organisation_id):
        accepted = terms.accepted_versions(contract.organisation_id)
        try:
            with db.session.begin_nested():
                db.session.add(OrderConfirmation(
                    contract_id=contract.id, terms_version=accepted["terms"],
                    avv_version=accepted["avv"],
                ))
            # Deliberate commit: the (unique) confirmation is stored before its e-mail is sent,
            # so a parallel caller never sends it twice.
            transactions.commit_now("order confirmation claimed before its e-mail")
        except IntegrityError:  # confirmed by a parallel caller
            db.session.rollback()
            continue
        for address in recipients(contract):
            mail.send_in_background(address, *confirmation_mail(contract))
        sent += 1
        log.info("order confirmation sent for contract %s", contract.id)
    return sent


def recipients(contract: Contract) -> list[str]:
    owners = db.session.scalars(sa.select(HrUser.email).where(
        HrUser.organisation_id == contract.organisation_id, HrUser.role == "owner"))
    return sorted({contract.organisation.billing_email, *owners})


def confirmation_of(contract: Contract) -> OrderConfirmation | None:
    return db.session.scalar(
        sa.select(OrderConfirmation).where(OrderConfirmation.contract_id == contract.id))


def euro(cents: int) -> str:
    """An amount in the current language's notation: 1.234,50 EUR (de), 1,234.50 EUR (en)."""
    return format_currency(cents / 100, "EUR", format=EURO_FORMAT)


def _lines(contract: Contract, confirmation: OrderConfirmation | None) -> list[tuple[str, str]]:
    language = str(get_locale())
    price = quote(contract.package, contract.seats, contract.interval)
    organisation = contract.organisation
    billing = ", ".join(part for part in (
        organisation.billing_name or organisation.name,
        organisation.billing_street or organisation.street,
        f"{organisation.billing_postcode or organisation.postcode} "
        f"{organisation.billing_city or organisation.city}",
        organisation.billing_country or organisation.country) if part.strip())
    return [
        (_("Order number"), f"EAP-{contract.id:06d}"),
        (_("Date"), format_date(confirmation.created_at if confirmation else utcnow())),
        (_("Customer"), organisation.name),
        (_("VAT ID"), organisation.vat_id or "-"),
        (_("Billing address"), billing),
        (_("Package"), contract.package.name(language)),
        (_("Seats (employees covered)"), str(contract.seats)),
        (_("Billing interval"), _("Yearly") if contract.interval == "year" else _("Monthly")),
        (_("Price per seat (net)"), euro(price.unit_cents)),
        (_("Net"), euro(price.net_cents)),
        (_("VAT %(rate)s %%", rate=VAT_PERCENT), euro(price.vat_cents)),
        (_("Total (gross)"), euro(price.gross_cents)),
        (_("Payment"), _("Invoice, due in 14 days") if contract.collection == "invoice"
         else _("Card or SEPA direct debit (Stripe)")),
        (_("Terms of service accepted"), confirmation.terms_version if confirmation else "-"),
        (_("Data-processing agreement (AVV) accepted"),
         confirmation.avv_version if confirmation else "-"),
    ]


def confirmation_mail(contract: Contract) -> tuple[str, str]:
    """Subject and body, in the language the order was placed in."""
    with force_locale(contract.language):
        confirmation = confirmation_of(contract)
        subject = _("Your order with iGuS: %(package)s for %(seats)s employees",
                    package=contract.package.name(contract.language), seats=contract.seats)
        rows = "\n".join(f"{label}: {value}" for label, value in _lines(contract, confirmation))
        body = "\n\n".join([
            _("Thank you for your order. Your employees can use the service from now on."),
            rows,
            _("The order as a PDF and the accepted terms: %(url)s",
              url=public_url("order.confirmation_page", contract_id=contract.id)),
            _("Next step: hand out the access code. The access page has ready texts for your "
              "intranet and an e-mail to your staff: %(url)s", url=public_url("hr_access.index")),
        ])
    return subject, body


def order_pdf(contract: Contract, language: str | None = None) -> bytes:
    """The order as a PDF in ``language`` (default: the current request's language)."""
    with force_locale(language or str(get_locale())):
        pdf = Document(_("Order confirmation"), footer=_(
            "iGuS bills per seat, never per use: invoices never show how often the service "
            "was used."))
        for label, value in _lines(contract, confirmation_of(contract)):
            pdf.row(label, value, bold=label == _("Total (gross)"))
        return pdf.output()
