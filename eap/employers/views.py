"""Organisation sign-up (public) — the first HR user becomes the owner."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse

from eap import transactions
from eap.employers import accounts, signup
from eap.employers.forms import SignupForm
from eap.extensions import db, limit_hit
from eap.security import pressure, proof_of_work, ratelimits

bp = Blueprint("signup", __name__, url_prefix="/hr")


def order_url(package) -> str:
    """The order page with the chosen package (if any) selected."""
    return url_for("billing.choose", package=package.id) if package else url_for("billing.choose")


POW_SIGNUP = "hr-signup"
# Mails telling an existing account that someone signed up with its address: at most this many
# an hour reach one inbox, silently (the answer is the same either way). The confirmation mail of
# a new account is always sent: there is at most one per address.
TAKEN_MAILS_PER_ADDRESS = "3 per hour"


@bp.route("/signup", methods=["GET", "POST"])
def sign_up():
    """Never refused per address (issue 26, item 2): a proof of work on the form, one answer for
    every accepted sign-up, and a silent cap on the mails that reach one inbox."""
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
        if valid and not problems and not _proof_of_work_passed(form):
            pass  # the page again, with everything but the passwords kept
        elif valid and not problems:
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
                                       show_vat_confirm=bool(form.vat_confirm.data),
                                       challenge=proof_of_work.challenge(POW_SIGNUP)), 200
            except signup.AddressTaken as taken:
                db.session.rollback()
                if limit_hit(parse(TAKEN_MAILS_PER_ADDRESS), "signup-taken-mails",
                                       ratelimits.account_digest(taken.user.email)):
                    return _check_your_mail(accounts.address_taken_mail(taken.user))
                return _check_your_mail(None)
            transactions.after_commit(signup.tell_admins_about_shared_vat, user.organisation)
            return _check_your_mail(accounts.verification_mail(user))
        vat_taken = any(problem.code == "vat_taken" for problem in problems)
    return render_template("hr/signup.html", form=form, chosen=chosen,
                           show_vat_confirm=vat_taken or bool(form.vat_confirm.data),
                           challenge=proof_of_work.challenge(POW_SIGNUP))


def _proof_of_work_passed(form) -> bool:
    if proof_of_work.check(POW_SIGNUP) == proof_of_work.PASSED:
        return True
    form.password.errors.append(_(
        "For your protection this step takes a few seconds. Please enter your password again "
        "and press the button."))
    return False


def _check_your_mail(message):
    """The one answer to every accepted sign-up, new address or taken (no enumeration): the
    confirmation link signs the new owner in (hr_auth.confirm_verification)."""
    if message is not None:
        transactions.after_commit(accounts.send, message)
    flash(_("Thank you! We have sent you an e-mail: please open the link in it to confirm "
            "your address and continue."), "success")
    return redirect(url_for("hr_auth.login"), 303)
