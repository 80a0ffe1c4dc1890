"""The public "request an offer" form."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eap import transactions
from eap.employers import offers
from eap.employers.offer_forms import OfferRequestForm
from eap.extensions import limiter
from eap.security import ratelimits

bp = Blueprint("offers", __name__)


@bp.route("/offer", methods=["GET", "POST"])
@limiter.limit("10 per hour", key_func=ratelimits.by_submitted_email, methods=["POST"])
@limiter.limit("100 per minute", key_func=ratelimits.everyone, methods=["POST"])
def request_offer():
    form = OfferRequestForm()
    if form.validate_on_submit():
        offer = offers.create(form.data)
        transactions.after_commit(offers.notify_sales, offer)
        flash(_("Thank you. We will get in touch within two working days."), "success")
        return redirect(url_for("offers.request_offer"), 303)
    return render_template("public/offer.html", form=form)
