"""Account actions HR users and staff share: sign out here or everywhere, change password.

Each area's blueprint keeps its own routes and access decorator and calls these.
"""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.security import proof_of_work, ratelimits, sessions
from eap.security.forms import ChangePasswordForm
from eap.security.passwords import password_problem, verify_password


def sign_out(target_endpoint: str, everywhere: bool = False):
    """End this browser's sign-in (or every one of the user's) and go to ``target_endpoint``.

    CSRF is checked for every POST by Flask-WTF before the view runs.
    """
    if everywhere:
        sessions.end_all(current_user)
        message = _("You are signed out on every device.")
    else:
        sessions.end(current_user)
        message = _("You are signed out.")
    flash(message, "info")
    return redirect(url_for(target_endpoint))


def change_password(set_password: Callable, home_endpoint: str, area: str):
    """The change-password page; on success every other browser of the user is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data)
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        elif problem:
            form.password.errors.append(problem)
        else:
            set_password(current_user, form.password.data, keep_current=True)
            flash(_("Your new password is saved. Other devices were signed out."), "success")
            return redirect(url_for(home_endpoint))
    return render_template("account/change_password.html", form=form, area=area)


def password_step_passed(purpose: str, form) -> bool:
    """The proof of work in front of an HR or staff password (``ratelimits.password_step``).

    Missing, too early or below the level the account name asks for now: the page comes again
    with the address kept and a new challenge; no password hash is computed and nothing counts as
    a failure. Only a known browser's own bucket, full of its own failures, is refused (429)."""
    step = ratelimits.password_step(purpose)
    if step == ratelimits.REFUSED:
        abort(429)
    if step == ratelimits.GO:
        return True
    if ratelimits.pressure_doublings():
        form.password.errors = [_(
            "Many sign-ins with this address failed recently. For your protection this step "
            "takes longer now. Please enter your password again and press the button.")]
    else:
        form.password.errors = [_(
            "For your protection this step takes a few seconds. Please enter your password "
            "again and press the button.")]
    return False


def login_challenge(purpose: str) -> str:
    """The password page's challenge: harder at once for an account name under pressure."""
    at_least = ratelimits.pressure_doublings() if request.method == "POST" else 0
    return proof_of_work.challenge(purpose, at_least)
