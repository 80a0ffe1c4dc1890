"""Staff accounts: password and second-factor checks, enrolment, recovery codes."""

from __future__ import annotations

import sqlalchemy as sa

from eap.extensions import db
from eap.security import sessions, totp
from eap.security.passwords import hash_password, verify_password
from eap.staff.models import StaffUser


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        sa.select(StaffUser).where(StaffUser.email == email.strip().lower())
    )


def authenticate(email: str, password: str) -> StaffUser | None:
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def check_second_factor(user: StaffUser, code: str) -> bool:
    """A fresh TOTP code or an unused recovery code; either is consumed on success."""
    if user.totp_secret is None:
        return False
    step = totp.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    remaining = totp.use_recovery_code(user.recovery_codes or [], code)
    if remaining is not None:
        user.recovery_codes = remaining
        return True
    return False


def enrol(user: StaffUser, secret: str, code: str) -> list[str] | None:
    """Store the new TOTP secret if ``code`` proves the app has it; return recovery codes."""
    step = totp.accepted_step(secret, code, 0)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    return new_recovery_codes(user)


def new_recovery_codes(user: StaffUser) -> list[str]:
    codes = totp.new_recovery_codes()
    user.recovery_codes = [totp.hash_recovery_code(c) for c in codes]
    return codes


def create_staff(email: str, name: str, role: str, password: str) -> StaffUser:
    user = StaffUser(
        email=email.strip().lower(), name=name, role=role, password_hash=hash_password(password)
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: StaffUser, password: str, keep_current: bool = False) -> None:
    user.password_hash = hash_password(password)
    sessions.revoke_all(user, keep_current=keep_current)
