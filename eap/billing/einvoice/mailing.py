"""The invoice e-mail: the e-invoice in the organisation's chosen format, to its billing address.

Called after the webhook's commit (``deliver_pending``). Each document is claimed first
(``mailed_at`` set where it was empty, committed), then built and sent: at most one e-mail per
invoice or credit note, even when Stripe delivers events twice or in parallel. Only documents
recorded in the last days are sent, so choosing a format later does not mail old invoices.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from eap import mail, transactions
from eap.billing.einvoice import documents
from eap.billing.einvoice.models import EInvoiceSource
from eap.billing.models import Contract
from eap.employers.models import Organisation
from eap.extensions import db
from eap.models import utcnow

log = logging.getLogger(__name__)
RECENT = timedelta(days=3)
MIME = {"xrechnung": "application/xml", "zugferd": "application/pdf"}


def _ready(source: EInvoiceSource) -> bool:
    """Credit notes at once; invoices when paid, or when finalised if paid by transfer."""
    snap = source.snapshot
    if snap.get("status") == "void":
        return False
    if snap.get("kind") == "credit_note":
        return True
    return snap.get("status") == "paid" or snap.get("collection_method") == "send_invoice"


def _claim(source_id: int) -> bool:
    result = db.session.execute(
        sa.update(EInvoiceSource)
        .where(EInvoiceSource.id == source_id, EInvoiceSource.mailed_at.is_(None))
        .values(mailed_at=utcnow())
    )
    # Deliberate commit: the claim is stored before the e-invoice is mailed (never twice).
    transactions.commit_now("e-invoice claimed before its e-mail")
    return result.rowcount == 1


def message(source: EInvoiceSource, fmt: str) -> tuple[str, str, str, list]:
    organisation = source.contract.organisation
    content, mime = documents.render(source, fmt)
    credit = source.kind == "credit_note"
    subject = (_("Credit note %(number)s", number=source.number) if credit
               else _("Invoice %(number)s", number=source.number))
    body = _(
        "Hello,\n\nattached is %(document)s from iGuS as an electronic invoice (%(format)s, "
        "EN 16931). You can also download it on the contract page of the EAP portal.\n\n"
        "Kind regards\niGuS",
        document=subject, format="XRechnung" if fmt == "xrechnung" else "ZUGFeRD",
    )
    return organisation.billing_email, subject, body, [
        (documents.filename(source, fmt), mime, content)]


def deliver_pending() -> int:
    """Send the e-mails that are due; never raises (the webhook has been committed)."""
    sent = 0
    try:
        rows = db.session.execute(
            sa.select(EInvoiceSource.id, Organisation.einvoice_format)
            .join(Contract, Contract.id == EInvoiceSource.contract_id)
            .join(Organisation, Organisation.id == Contract.organisation_id)
            .where(EInvoiceSource.mailed_at.is_(None),
                   EInvoiceSource.created_at >= utcnow() - RECENT,
                   Organisation.einvoice_format.in_(tuple(MIME)))
        ).all()
        for source_id, fmt in rows:
            source = db.session.get(EInvoiceSource, source_id)
            if not _ready(source) or not _claim(source_id):
                continue
            to, subject, body, attachments = message(db.session.get(EInvoiceSource, source_id), fmt)
            mail.send_in_background(to, subject, body, attachments)
            log.info("e-invoice %s mailed as %s", source_id, fmt)
            sent += 1
    except Exception:
        db.session.rollback()
        log.exception("sending e-invoices failed")
    return sent
