"""HR sign-in: login, logout, e-mail verification, password reset and change."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse

from eap.employers import accounts, terms_gate
from eap.extensions import limit_hit, limiter
from eap.redirects import safe_next
from eap.security import account_views, pressure, ratelimits, sessions
from eap.security.access import hr_required
from eap.security.forms import (
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
)
from eap.security.passwords import password_problem

bp = Blueprint("hr_auth", __name__, url_prefix="/hr")


POW_LOGIN = "hr-login"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The password step: a proof of work first (never a refusal for an account name that others
    keep failing on, only more work: account_views.password_step_passed), then the password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit() and account_views.password_step_passed(POW_LOGIN, form):
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            sessions.start(user)
            ratelimits.remember_browser(user.email)
            target = safe_next(form.next.data) or url_for("hr_auth.home")
            if user.role == "owner" and terms_gate.renewal_pending(user):
                return redirect(url_for("legal.accept", next=target))  # new terms: ask first
            return redirect(target)
        ratelimits.password_failed()
        pressure.failed("hr-login")  # a signal and a cost for failures only, never a lock
        flash(_("E-mail address or password is wrong."), "error")
    return render_template("hr/login.html", form=form,
                           challenge=account_views.login_challenge(POW_LOGIN))


@bp.get("/")
@hr_required()
def home():
    return render_template("hr/home.html")


@bp.post("/logout")
@hr_required()
def logout():
    return account_views.sign_out("public.index")


@bp.post("/logout-everywhere")
@hr_required()
def logout_everywhere():
    return account_views.sign_out("hr_auth.login", everywhere=True)


@bp.get("/verify/<token>")
def verify(token: str):
    # Opening the link only shows a button: mail scanners that follow links change nothing.
    return render_template("hr/verify.html", token=token)


@bp.post("/verify/<token>")
def confirm_verification(token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = accounts.verify_email(token)
    if user is None:
        flash(_("This confirmation link is invalid or has expired."), "error")
        return redirect(url_for("hr_auth.login"))
    chosen = session.pop("chosen_package", None)  # before a new session replaces this one
    # The first confirmation after sign-up signs the new owner in (sign-up itself does not, so
    # that its answer is the same for a taken address); a used link signs nobody in.
    if getattr(user, "first_verification", False) and not current_user.is_authenticated:
        sessions.start(user)
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    if current_user.is_authenticated and chosen:  # the package chosen before signing up
        return redirect(url_for("billing.choose", package=chosen))
    return redirect(url_for("hr_auth.home" if current_user.is_authenticated else "hr_auth.login"))


@bp.post("/verify/resend")
@hr_required()
@limiter.limit("3 per hour", key_func=lambda: f"resend:{getattr(current_user, 'id', 0)}")
def resend_verification():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not current_user.is_verified:
        accounts.send(accounts.verification_mail(current_user))
    flash(_("We have sent you a new confirmation link."), "info")
    return redirect(url_for("hr_auth.home"))


RESET_MAILS_PER_ADDRESS = "5 per hour"


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Never refused: a stranger who asks for someone's reset again and again cannot stop that
    person from asking (no 429 for an address). What is capped, silently, is the mail: at most
    RESET_MAILS_PER_ADDRESS reach one inbox, and every link sent stays valid until the password
    changes, so the owner finds a working one there. The answer is the same either way."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        pressure.failed("password-reset")  # many resets at once: slowed and alerted, not locked
        if limit_hit(parse(RESET_MAILS_PER_ADDRESS), "reset-mails",
                               ratelimits.by_submitted_email()):
            accounts.send(accounts.reset_mail(form.email.data))
        # The same answer whether or not the address has an account.
        flash(
            _("If an account exists for this address, we have sent a link to reset the password."),
            "info",
        )
        return redirect(url_for("hr_auth.login"))
    return render_template("hr/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=lambda: "reset:" + request.view_args["token"][-16:])
def reset_password(token: str):
    user = accounts.user_for_reset(token)
    if user is None:
        flash(_("This link is invalid or has expired. Please ask for a new one."), "error")
        return redirect(url_for("hr_auth.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data)
        if problem:
            form.password.errors.append(problem)
        else:
            accounts.set_password(user, form.password.data)
            flash(_("Your new password is saved. Please sign in."), "success")
            return redirect(url_for("hr_auth.login"))
    return render_template("hr/reset_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@hr_required()
def change_password():
    return account_views.change_password(accounts.set_password, "hr_auth.home", "hr")
