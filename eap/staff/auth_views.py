"""Staff sign-in: password, then a mandatory TOTP code (enrolment on first sign-in)."""

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eap.extensions import db, limiter
from eap.redirects import safe_next
from eap.security import account_views, audit, pressure, ratelimits, sessions, totp
from eap.security.access import staff_required
from eap.security.forms import ConfirmForm, LoginForm
from eap.staff import accounts
from eap.staff.forms import EnrolForm, SecondFactorForm
from eap.staff.models import StaffUser

bp = Blueprint("staff_auth", __name__, url_prefix="/staff")

PENDING_MAX_AGE = 5 * 60  # seconds between the password step and the code step


def _pending_user() -> StaffUser | None:
    """The staff member who passed the password step in this browser a moment ago."""
    pending = session.get("staff_pending")
    if not pending or sessions.now() - pending.get("at", 0) > PENDING_MAX_AGE:
        return None
    user = db.session.get(StaffUser, pending.get("id"))
    return user if user is not None and user.active else None


def _audit_sign_in(user: StaffUser) -> None:
    if user.role == "admin":  # administrators' sign-ins are audit-logged (issue 5)
        audit.record("staff.sign_in", "staff_user", user.id, actor=user)


POW_LOGIN = "staff-login"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The password step: a proof of work first (never a refusal for an account name that others
    keep failing on, only more work: account_views.password_step_passed), then the password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit() and account_views.password_step_passed(POW_LOGIN, form):
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            session["staff_pending"] = {
                "id": user.id, "at": sessions.now(), "nonce": secrets.token_urlsafe(16),
                "account": ratelimits.account_digest(user.email),
            }
            session["staff_next"] = safe_next(form.next.data)
            target = "staff_auth.second_factor" if user.totp_enrolled else "staff_auth.enrol"
            return redirect(url_for(target))
        ratelimits.password_failed()
        pressure.failed("staff-login")  # a signal and a cost for failures only, never a lock
        flash(_("E-mail address or password is wrong."), "error")
    return render_template("staff/login.html", form=form,
                           challenge=account_views.login_challenge(POW_LOGIN))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(
    ratelimits.login_limit,
    key_func=ratelimits.by_pending_login,
    methods=["POST"],
    deduct_when=ratelimits.only_failures,
)
@limiter.limit(
    ratelimits.totp_account_limit,
    key_func=ratelimits.by_pending_account,
    methods=["POST"],
    deduct_when=ratelimits.only_failures,
)
def second_factor():
    user = _pending_user()
    if user is None or not user.totp_enrolled:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("staff_auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if accounts.check_second_factor(user, form.code.data):
            target = session.get("staff_next")
            sessions.start(user)
            ratelimits.remember_browser(user.email)
            _audit_sign_in(user)
            return redirect(target or url_for("staff_auth.home"))
        db.session.rollback()
        pressure.failed("staff-totp")
        flash(_("The code is wrong or was already used."), "error")
    return render_template("staff/second_factor.html", form=form)


@bp.route("/totp/enrol", methods=["GET", "POST"])
@limiter.limit(
    ratelimits.login_limit,
    key_func=ratelimits.by_pending_login,
    methods=["POST"],
    deduct_when=ratelimits.only_failures,
)
def enrol():
    user = _pending_user()
    if user is None or user.totp_enrolled:
        return redirect(url_for("staff_auth.login"))
    secret = session.get("totp_enrol_secret") or totp.new_secret()
    session["totp_enrol_secret"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        codes = accounts.enrol(user, secret, form.code.data)
        if codes is not None:
            sessions.start(user)
            ratelimits.remember_browser(user.email)
            _audit_sign_in(user)
            return render_template("staff/recovery_codes.html", codes=codes)
        flash(_("The code does not match. Check the time on your phone and try again."), "error")
    return render_template("staff/enrol.html", form=form, secret=secret, user=user)


@bp.get("/totp/qr.svg")
def enrol_qr():
    user = _pending_user()
    secret = session.get("totp_enrol_secret")
    if user is None or secret is None or user.totp_enrolled:
        abort(404)
    svg = totp.qr_svg(totp.provisioning_uri(secret, user.email), _("QR code for your app"))
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/")
@staff_required()
def home():
    return render_template(
        "staff/home.html", codes_left=len(current_user.recovery_codes)
    )


@bp.post("/recovery-codes")
@staff_required()
def regenerate_recovery_codes():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    codes = accounts.new_recovery_codes(current_user)
    return render_template("staff/recovery_codes.html", codes=codes)


@bp.post("/logout")
@staff_required()
def logout():
    return account_views.sign_out("staff_auth.login")


@bp.post("/logout-everywhere")
@staff_required()
def logout_everywhere():
    return account_views.sign_out("staff_auth.login", everywhere=True)


@bp.route("/password", methods=["GET", "POST"])
@staff_required()
def change_password():
    return account_views.change_password(accounts.set_password, "staff_auth.home", "staff")
