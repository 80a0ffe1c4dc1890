"""Organisation sign-up (public) — the first HR user becomes the owner."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.employers import accounts, signup
from eap.employers.forms import SignupForm
from eap.extensions import db, limiter
from eap.security import ratelimits, sessions

bp = Blueprint("signup", __name__, url_prefix="/hr")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=ratelimits.by_submitted_email, methods=["POST"])
@limiter.limit("100 per minute", key_func=ratelimits.everyone, methods=["POST"])
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("hr_auth.home"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = signup.sign_up(form.data)
        except signup.SignupError as problem:
            db.session.rollback()
            getattr(form, problem.field).errors.append(problem.message)
        else:
            sessions.start(user)
            db.session.commit()
            accounts.send(accounts.verification_mail(user))
            flash(_("Welcome! We have sent you an e-mail: please confirm your address."), "success")
            return redirect(url_for("hr_auth.home"), 303)
    return render_template("hr/signup.html", form=form)
