"""After a phone intake: the caller chooses their own passphrase with key and set-up code."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from eap.counselling import intake
from eap.extensions import limiter
from eap.requests import accounts, limits
from eap.requests import session as requester
from eap.requests.forms import REQUIRED, TOO_LONG, NewPassphraseForm
from eap.requests.views import SHOW_ONCE
from eap.security import crypto, pressure

bp = Blueprint("requests_setup", __name__, url_prefix="/help")


class SetUpForm(NewPassphraseForm):
    case_key = StringField(_l("Case key"), validators=[
        InputRequired(message=REQUIRED), Length(max=40, message=TOO_LONG)])
    setup_code = StringField(_l("One-time set-up code"), validators=[
        InputRequired(message=REQUIRED), Length(max=40, message=TOO_LONG)])
    submit = SubmitField(_l("Set my passphrase"))


@bp.route("/set-up", methods=["GET", "POST"])
@limiter.limit(limits.per_secret, key_func=limits.by_case_key, methods=["POST"],
               deduct_when=limits.only_failures)
def set_up():
    form = SetUpForm()
    if form.validate_on_submit():
        problem = accounts.passphrase_problem(form.passphrase.data)
        result = None if problem else intake.set_up(
            form.case_key.data, form.setup_code.data, form.passphrase.data
        )
        if problem:
            form.passphrase.errors = [problem]
        elif result is None:
            # One answer for a wrong key, a wrong code and an account already set up; globally a
            # signal and a cost for failures, never a lock (SECURITY.md, item 3).
            pressure.failed("requester-secret")
            flash(_("Case key or set-up code is wrong."), "error")
        else:
            account, recovery = result
            requester.sign_in(account)
            session[SHOW_ONCE] = {"recovery": crypto.encrypt(recovery)}
            return redirect(url_for("requests.welcome"))
    return render_template("requests/set_up.html", form=form)
