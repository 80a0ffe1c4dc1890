"""Organisation sign-up (public) — the first HR user becomes the owner."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.employers import accounts, signup
from eap.employers.forms import SignupForm
from eap.extensions import db, limiter
from eap.security import pressure, ratelimits

bp = Blueprint("signup", __name__, url_prefix="/hr")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=ratelimits.by_submitted_email, methods=["POST"])
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("hr_auth.home"))
    form = SignupForm()
    if form.validate_on_submit():
        pressure.failed("sign-up")  # many sign-ups at once: slowed and alerted, not locked
        try:
            user = signup.sign_up(form.data)
        except signup.SignupError as problem:
            db.session.rollback()
            getattr(form, problem.field).errors.append(problem.message)
        except signup.AddressTaken as taken:
            db.session.rollback()
            return _check_your_mail(accounts.address_taken_mail(taken.user))
        else:
            db.session.commit()
            return _check_your_mail(accounts.verification_mail(user))
    return render_template("hr/signup.html", form=form)


def _check_your_mail(message):
    """The one answer to every accepted sign-up, new address or taken (no enumeration): the
    confirmation link signs the new owner in (hr_auth.confirm_verification)."""
    accounts.send(message)
    flash(_("Thank you! We have sent you an e-mail: please open the link in it to confirm "
            "your address and continue."), "success")
    return redirect(url_for("hr_auth.login"), 303)
