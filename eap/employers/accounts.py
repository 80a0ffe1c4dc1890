"""HR accounts: sign-in check, e-mail verification, password reset and change."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from eap import mail
from eap.employers.links import public_url
from eap.employers.models import HrUser
from eap.extensions import db
from eap.models import utcnow
from eap.security import sessions
from eap.security.passwords import hash_password, verify_password
from eap.security.tokens import make_token, read_token


def find_by_email(email: str) -> HrUser | None:
    return db.session.scalar(sa.select(HrUser).where(HrUser.email == email.strip().lower()))


def authenticate(email: str, password: str) -> HrUser | None:
    """The user if the password is right; unknown addresses cost the same hashing time."""
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user else None


def _password_stamp(user: HrUser) -> str:
    # Part of the reset link: once the password changes, older links stop working.
    return user.password_hash[-12:]


def verification_mail(user: HrUser) -> tuple[str, str, str]:
    token = make_token("verify-hr", {"id": user.id, "email": user.email})
    link = public_url("hr_auth.verify", token=token)
    body = _(
        "Hello,\n\nplease confirm your e-mail address for the iGuS EAP portal by opening this "
        "link within 24 hours:\n\n%(link)s\n\nIf you did not sign up, ignore this e-mail.",
        link=link,
    )
    return user.email, _("Please confirm your e-mail address"), body


def address_taken_mail(user: HrUser) -> tuple[str, str, str]:
    """Told to an existing account when someone signs up an organisation with its address."""
    body = _(
        "Hello,\n\nsomeone tried to sign up an organisation on the iGuS EAP portal with this "
        "e-mail address. It already has an account, so nothing was created. Sign in here:\n\n"
        "%(login)s\n\nForgot your password? Ask for a new one here:\n\n%(reset)s\n\n"
        "If this was not you, ignore this e-mail.",
        login=public_url("hr_auth.login"), reset=public_url("hr_auth.forgot_password"),
    )
    return user.email, _("Sign-up with your e-mail address"), body


def verify_email(token: str) -> HrUser | None:
    data = read_token("verify-hr", token, current_app.config["TOKEN_MAX_AGE"])
    user = db.session.get(HrUser, data["id"]) if data else None
    if user is None or user.email != data.get("email"):
        return None
    user.first_verification = user.email_verified_at is None
    if user.first_verification:
        user.email_verified_at = utcnow()
    return user


def reset_mail(email: str) -> tuple[str, str, str] | None:
    """The reset e-mail to send, or None if no account has this address (say nothing)."""
    user = find_by_email(email)
    if user is None:
        return None
    token = make_token("reset-hr", {"id": user.id, "stamp": _password_stamp(user)})
    link = public_url("hr_auth.reset_password", token=token)
    body = _(
        "Hello,\n\nsomeone asked to reset the password of your iGuS EAP portal account. "
        "Open this link within one hour to choose a new password:\n\n%(link)s\n\n"
        "If this was not you, ignore this e-mail; your password stays unchanged.",
        link=link,
    )
    return user.email, _("Reset your password"), body


def user_for_reset(token: str) -> HrUser | None:
    data = read_token("reset-hr", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(HrUser, data["id"]) if data else None
    if user is None or data.get("stamp") != _password_stamp(user):
        return None
    return user


def set_password(user: HrUser, password: str, keep_current: bool = False) -> None:
    """New password; every other signed-in browser of this user is signed out."""
    user.password_hash = hash_password(password)
    sessions.revoke_all(user, keep_current=keep_current)


def send(message: tuple[str, str, str] | None) -> None:
    if message:
        mail.send_in_background(*message)
