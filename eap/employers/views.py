"""Organisation sign-up (public) — the first HR user becomes the owner."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.employers import accounts, signup
from eap.employers.forms import SignupForm
from eap.extensions import db, limiter
from eap.security import ratelimits, sessions

bp = Blueprint("signup", __name__, url_prefix="/hr")


def order_url(package) -> str:
    """The order page with the chosen package (if any) selected."""
    return url_for("billing.choose", package=package.id) if package else url_for("billing.choose")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=ratelimits.by_submitted_email, methods=["POST"])
@limiter.limit("100 per minute", key_func=ratelimits.everyone, methods=["POST"])
def sign_up():
    chosen = signup.chosen_package(request.values.get("package"))
    if current_user.is_authenticated:
        return redirect(order_url(chosen) if chosen else url_for("hr_auth.home"))
    form = SignupForm(package=chosen.slug if chosen else "")
    if form.is_submitted():
        valid = form.validate()
        # Every problem at once: the rules run for each field the form found valid.
        problems = signup.check(form.data, skip=set(form.errors))
        for problem in problems:
            getattr(form, problem.field).errors.append(problem.message)
        if valid and not problems:
            try:
                user = signup.sign_up(form.data)
            except signup.SignupProblems as late:  # e.g. the address was taken a moment ago
                db.session.rollback()
                for problem in late.problems:
                    getattr(form, problem.field).errors.append(problem.message)
                return render_template("hr/signup.html", form=form, chosen=chosen,
                                       show_vat_confirm=bool(form.vat_confirm.data)), 200
            sessions.start(user)
            if chosen:
                session["chosen_package"] = chosen.id
            db.session.commit()
            accounts.send(accounts.verification_mail(user))
            signup.tell_admins_about_shared_vat(user.organisation)
            flash(_("Welcome! We have sent you an e-mail: please confirm your address."), "success")
            return redirect(url_for("hr_auth.home"), 303)
        vat_taken = any(problem.code == "vat_taken" for problem in problems)
    else:
        vat_taken = False
    return render_template("hr/signup.html", form=form, chosen=chosen,
                           show_vat_confirm=vat_taken or bool(form.vat_confirm.data))
