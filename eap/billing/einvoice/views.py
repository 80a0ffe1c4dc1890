"""HR downloads of e-invoices and the organisation's e-invoice settings (owner, billing)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.billing.einvoice import documents
from eap.billing.einvoice.forms import EInvoiceSettingsForm
from eap.billing.einvoice.models import EInvoiceSource
from eap.extensions import db
from eap.security.access import hr_required

bp = Blueprint("einvoice", __name__, url_prefix="/hr/contract")
BILLING_ROLES = ("owner", "billing")


def sources_for(contract_id: int) -> dict:
    """For the contract page: e-invoices by Stripe invoice id, and the credit notes."""
    sources = list(db.session.scalars(
        sa.select(EInvoiceSource).where(EInvoiceSource.contract_id == contract_id)
        .order_by(EInvoiceSource.id.desc())
    ))
    return {
        "by_invoice": {s.stripe_id: s for s in sources if s.kind == "invoice"},
        "credit_notes": [s for s in sources if s.kind == "credit_note"],
    }


def _own_source_or_404(source_id: int) -> EInvoiceSource:
    """An e-invoice of the signed-in user's organisation; any other id is 404."""
    source = db.session.get(EInvoiceSource, source_id)
    if source is None or source.contract.organisation_id != current_user.organisation_id:
        abort(404)
    return source


def _download(source_id: int, fmt: str) -> Response:
    source = _own_source_or_404(source_id)
    content, mime = documents.render(source, fmt)
    response = Response(content, mimetype=mime)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{documents.filename(source, fmt)}"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/e-invoices/<int:source_id>/xrechnung.xml")
@hr_required(*BILLING_ROLES)
def xrechnung(source_id: int):
    return _download(source_id, "xrechnung")


@bp.get("/e-invoices/<int:source_id>/zugferd.pdf")
@hr_required(*BILLING_ROLES)
def zugferd(source_id: int):
    return _download(source_id, "zugferd")


@bp.post("/e-invoice-settings")
@hr_required(*BILLING_ROLES)
def settings():
    form = EInvoiceSettingsForm()
    if not form.validate_on_submit():
        messages = [str(e) for errors in form.errors.values() for e in errors]
        flash(" ".join(messages) or _("Please try again."), "error")
        return redirect(url_for("billing.contract"), 303)
    organisation = current_user.organisation
    organisation.buyer_reference = form.buyer_reference.data or ""
    organisation.einvoice_format = form.einvoice_format.data
    flash(_("The e-invoice settings are saved."), "success")
    return redirect(url_for("billing.contract"), 303)
