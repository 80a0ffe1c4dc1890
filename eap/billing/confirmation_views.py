"""The order confirmation page and its PDF (roles: owner, billing)."""

from flask import Blueprint, Response, render_template

from eap.billing import confirmation, contracts
from eap.billing.price_display import gross
from eap.employers import terms
from eap.security.access import hr_required

bp = Blueprint("order", __name__, url_prefix="/hr/orders")
ROLES = ("owner", "billing")


@bp.get("/<int:contract_id>")
@hr_required(*ROLES)
def confirmation_page(contract_id: int):
    contract = contracts.get_contract_or_404(contract_id)
    return render_template(
        "billing/confirmation.html", contract=contract,
        confirmation=confirmation.confirmation_of(contract), titles=terms.TITLES,
    )


@bp.get("/<int:contract_id>/order.pdf")
@hr_required(*ROLES)
def pdf(contract_id: int):
    contract = contracts.get_contract_or_404(contract_id)
    return Response(
        confirmation.order_pdf(contract), mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="order-EAP-{contract.id:06d}.pdf"'},
    )


@bp.app_template_filter("with_vat")
def with_vat(net_cents: int) -> int:
    """A net amount in cents with 19 % VAT added (rounded like the invoice)."""
    return gross(net_cents)
