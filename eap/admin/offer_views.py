"""Requests for an offer, for administrators: list and status."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eap.admin.blueprint import bp
from eap.employers import offers
from eap.employers.offer_models import OFFER_STATUSES
from eap.security.forms import ConfirmForm


@bp.get("/offers")
def offers_list():
    status = request.args.get("status", "")
    return render_template(
        "admin/offers.html", offers=offers.newest(status), status=status,
        statuses=OFFER_STATUSES, labels=offers.STATUS_LABELS,
    )


@bp.post("/offers/<int:offer_id>/status")
def offer_status(offer_id: int):
    status = request.form.get("status", "")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if status not in OFFER_STATUSES:
        flash(_("Please choose a status."), "error")
        return redirect(url_for("admin.offers_list"), 303)
    if offers.set_status(offer_id, status) is None:
        abort(404)
    flash(_("Saved."), "success")
    return redirect(url_for("admin.offers_list"), 303)
