"""The HR team of an organisation: invitations by time-limited link, roles, removal."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from eap.employers import accounts
from eap.employers.links import public_url
from eap.employers.models import HR_ROLES, HrUser, Organisation
from eap.extensions import db
from eap.i18n import lazy_gettext as _l
from eap.models import utcnow
from eap.security import sessions
from eap.security.passwords import hash_password, password_problem
from eap.security.tokens import make_token, read_token

INVITATION_MAX_AGE = 7 * 24 * 3600


class TeamError(ValueError):
    pass


def members(organisation_id: int) -> list[HrUser]:
    return list(
        db.session.scalars(
            sa.select(HrUser).where(HrUser.organisation_id == organisation_id).order_by(HrUser.id)
        )
    )


def invitation_mail(organisation: Organisation, email: str, role: str) -> tuple[str, str, str]:
    email = email.strip().lower()
    if role not in HR_ROLES:
        raise TeamError(_l("Please choose a role."))
    if accounts.find_by_email(email):
        raise TeamError(_l("This address already has an account on the portal."))
    token = make_token("invite-hr", {"org": organisation.id, "email": email, "role": role})
    link = public_url("hr_team.join", token=token)
    body = _(
        "Hello,\n\nyou are invited to manage the employee assistance programme of "
        "%(organisation)s on the iGuS EAP portal. Open this link within 7 days to choose "
        "your password:\n\n%(link)s\n\nIf you did not expect this, ignore this e-mail.",
        organisation=organisation.name, link=link,
    )
    return email, _("Invitation to the iGuS EAP portal"), body


def read_invitation(token: str) -> dict | None:
    data = read_token("invite-hr", token, INVITATION_MAX_AGE)
    if not data or accounts.find_by_email(data.get("email", "")):
        return None  # expired, forged, or already used
    if db.session.get(Organisation, data.get("org")) is None:
        return None
    return data


def accept(invitation: dict, name: str, password: str) -> HrUser:
    problem = password_problem(password)
    if problem:
        raise TeamError(problem)
    user = HrUser(
        organisation_id=invitation["org"], email=invitation["email"], name=name.strip(),
        role=invitation["role"], password_hash=hash_password(password),
        email_verified_at=utcnow(),  # the link reached this address
    )
    db.session.add(user)
    db.session.flush()
    return user


def _is_last_owner(member: HrUser) -> bool:
    owners = [m for m in members(member.organisation_id) if m.role == "owner"]
    return member.role == "owner" and len(owners) <= 1


def change_role(member: HrUser, role: str) -> None:
    """Give ``member`` another role (at once: every page checks the role it reads from the
    database). The same role again changes nothing."""
    if role not in HR_ROLES:
        raise TeamError(_l("Please choose a role."))
    if role == member.role:
        return
    if _is_last_owner(member):
        raise TeamError(
            _l("The last owner cannot give up this role. Make someone else owner first.")
        )
    member.role = role
    db.session.flush()


def remove(member: HrUser) -> None:
    if _is_last_owner(member):
        raise TeamError(_l("The last owner cannot be removed. Make someone else owner first."))
    sessions.revoke_all(member)
    db.session.delete(member)
    db.session.flush()
