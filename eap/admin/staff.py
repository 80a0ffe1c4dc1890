"""Staff accounts as administrators manage them. Every change is audit-logged."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from eap.extensions import db
from eap.security import audit, sessions
from eap.security.passwords import password_problem
from eap.staff import accounts
from eap.staff.models import StaffUser


class StaffError(ValueError):
    """A rule that needs the database was broken (the message is for the page).

    ``field`` names the form field the message belongs to, if any.
    """

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def all_staff() -> list[StaffUser]:
    return list(
        db.session.scalars(
            sa.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name, StaffUser.id)
        )
    )


def get_staff_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


def create(email: str, password: str, values: dict) -> StaffUser:
    problem = password_problem(password)
    if problem:
        raise StaffError(problem, field="password")
    if accounts.find_by_email(email) is not None:
        raise StaffError(
            _l("There is already a staff account with this e-mail address."), field="email"
        )
    user = accounts.create_staff(email, values["name"], values["role"], password)
    for name, value in values.items():
        setattr(user, name, value)
    db.session.flush()
    audit.record("staff.create", "staff_user", user.id)
    return user


def _other_active_admins(user: StaffUser) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            StaffUser.role == "admin", StaffUser.active.is_(True), StaffUser.id != user.id
        )
    )


def _keep_one_admin(user: StaffUser) -> None:
    if user.role == "admin" and user.active and _other_active_admins(user) == 0:
        raise StaffError(
            _l("This is the last active administrator. Make someone else an administrator first.")
        )


def update(user: StaffUser, values: dict) -> bool:
    """Save the changes; True when the role changed (the person's sessions are then ended)."""
    role_changed = values["role"] != user.role
    if role_changed:
        _keep_one_admin(user)
    for name, value in values.items():
        setattr(user, name, value)
    if role_changed:
        # A new role means a new sign-in: no session keeps the rights of the old one.
        sessions.revoke_all(user)
    db.session.flush()
    audit.record("staff.role_change" if role_changed else "staff.update", "staff_user", user.id)
    return role_changed


def deactivate(user: StaffUser) -> None:
    if not user.active:
        return
    _keep_one_admin(user)
    user.active = False
    sessions.revoke_all(user)
    db.session.flush()
    audit.record("staff.deactivate", "staff_user", user.id)


def reactivate(user: StaffUser) -> None:
    if user.active:
        return
    user.active = True
    db.session.flush()
    audit.record("staff.reactivate", "staff_user", user.id)


def reset_totp(user: StaffUser) -> None:
    """Forget the second factor: the person enrols a new one at the next sign-in."""
    user.totp_secret = None
    user.totp_last_step = 0
    user.recovery_codes = []
    sessions.revoke_all(user)
    db.session.flush()
    audit.record("staff.reset_totp", "staff_user", user.id)
