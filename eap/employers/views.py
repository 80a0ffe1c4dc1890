"""Organisation sign-up (public) — the first HR user becomes the owner."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap import transactions
from eap.employers import accounts, signup
from eap.employers.forms import SignupForm
from eap.extensions import db, limiter
from eap.security import pressure, ratelimits

bp = Blueprint("signup", __name__, url_prefix="/hr")


def order_url(package) -> str:
    """The order page with the chosen package (if any) selected."""
    return url_for("billing.choose", package=package.id) if package else url_for("billing.choose")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=ratelimits.by_submitted_email, methods=["POST"])
def sign_up():
    chosen = signup.chosen_package(request.values.get("package"))
    if current_user.is_authenticated:
        return redirect(order_url(chosen) if chosen else url_for("hr_auth.home"))
    form = SignupForm(package=chosen.slug if chosen else "")
    vat_taken = False
    if form.is_submitted():
        valid = form.validate()
        # Every problem at once: the rules run for each field the form found valid.
        problems = signup.check(form.data, skip=set(form.errors))
        for problem in problems:
            getattr(form, problem.field).errors.append(problem.message)
        if valid and not problems:
            pressure.failed("sign-up")  # many sign-ups at once: slowed and alerted, not locked
            if chosen:  # carried through the e-mail confirmation into the order
                session["chosen_package"] = chosen.id
            try:
                user = signup.sign_up(form.data)
            except signup.SignupProblems as late:  # e.g. the VAT ID was taken a moment ago
                db.session.rollback()
                for problem in late.problems:
                    getattr(form, problem.field).errors.append(problem.message)
                return render_template("hr/signup.html", form=form, chosen=chosen,
                                       show_vat_confirm=bool(form.vat_confirm.data)), 200
            except signup.AddressTaken as taken:
                db.session.rollback()
                return _check_your_mail(accounts.address_taken_mail(taken.user))
            transactions.after_commit(signup.tell_admins_about_shared_vat, user.organisation)
            return _check_your_mail(accounts.verification_mail(user))
        vat_taken = any(problem.code == "vat_taken" for problem in problems)
    return render_template("hr/signup.html", form=form, chosen=chosen,
                           show_vat_confirm=vat_taken or bool(form.vat_confirm.data))


def _check_your_mail(message):
    """The one answer to every accepted sign-up, new address or taken (no enumeration): the
    confirmation link signs the new owner in (hr_auth.confirm_verification)."""
    transactions.after_commit(accounts.send, message)
    flash(_("Thank you! We have sent you an e-mail: please open the link in it to confirm "
            "your address and continue."), "success")
    return redirect(url_for("hr_auth.login"), 303)
