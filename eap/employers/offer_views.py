"""The public "request an offer" form."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from limits import parse

from eap import transactions
from eap.employers import offers
from eap.employers.offer_forms import OfferRequestForm
from eap.extensions import limit_hit
from eap.security import pressure, proof_of_work, ratelimits

bp = Blueprint("offers", __name__)

POW_OFFER = "offer"
# Mails to iGuS sales about offers from one submitted address: at most this many an hour,
# silently. Every request is stored and listed for the administrators either way.
SALES_MAILS_PER_ADDRESS = "3 per hour"


@bp.route("/offer", methods=["GET", "POST"])
def request_offer():
    """Never refused (issue 26, item 2): the old limits (10 an hour per submitted address, 100 a
    minute for everyone) could be filled by a stranger for someone else. Now a proof of work on
    the form, the same answer for every request, and a silent cap on the sales mails."""
    form = OfferRequestForm()
    if form.validate_on_submit() and _proof_of_work_passed(form):
        pressure.failed("offer")  # many requests at once: slowed and alerted, not locked
        offer = offers.create(form.data)
        if limit_hit(parse(SALES_MAILS_PER_ADDRESS), "offer-mails",
                               ratelimits.account_digest(form.email.data)):
            transactions.after_commit(offers.notify_sales, offer)
        flash(_("Thank you. We will get in touch within two working days."), "success")
        return redirect(url_for("offers.request_offer"), 303)
    return render_template("public/offer.html", form=form,
                           challenge=proof_of_work.challenge(POW_OFFER))


def _proof_of_work_passed(form) -> bool:
    if proof_of_work.check(POW_OFFER) == proof_of_work.PASSED:
        return True
    form.email.errors = [*form.email.errors, _(
        "For your protection this step takes a few seconds. Please press the button again.")]
    return False
