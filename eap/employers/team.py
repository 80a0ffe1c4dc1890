"""The HR team of an organisation: invitations by time-limited link, roles, removal."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eap.employers import accounts
from eap.employers.links import public_url
from eap.employers.models import HR_ROLES, HrInvitation, HrUser, Organisation
from eap.extensions import db
from eap.models import utcnow
from eap.security import sessions
from eap.security.passwords import hash_password, password_problem

INVITATION_DAYS = 7


class TeamError(ValueError):
    pass


def members(organisation_id: int) -> list[HrUser]:
    return list(
        db.session.scalars(
            sa.select(HrUser).where(HrUser.organisation_id == organisation_id).order_by(HrUser.id)
        )
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitations(organisation_id: int) -> list[HrInvitation]:
    return list(db.session.scalars(
        sa.select(HrInvitation)
        .where(HrInvitation.organisation_id == organisation_id,
               HrInvitation.used_at.is_(None), HrInvitation.expires_at > utcnow())
        .order_by(HrInvitation.id)
    ))


def invite(organisation: Organisation, email: str, role: str) -> tuple[str, str, str]:
    """Store an invitation and return its mail. A taken address gets the same answer (and a
    listed invitation that can never be used) while its account is told by mail instead."""
    email = email.strip().lower()
    if role not in HR_ROLES:
        raise TeamError(_l("Please choose a role."))
    token = secrets.token_urlsafe(32)
    db.session.add(HrInvitation(
        organisation_id=organisation.id, email=email, role=role, token_digest=_digest(token),
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    ))
    db.session.flush()
    if accounts.find_by_email(email):
        return email, _("Invitation to the iGuS EAP portal"), _(
            "Hello,\n\nsomeone at %(organisation)s invited this address to their team on the "
            "iGuS EAP portal. This address already has an account on the portal, so no new "
            "account was made. Sign in as usual:\n\n%(link)s\n\nIf you did not expect this, "
            "ignore this e-mail.",
            organisation=organisation.name, link=public_url("hr_auth.login"),
        )
    link = public_url("hr_team.join", token=token)
    body = _(
        "Hello,\n\nyou are invited to manage the employee assistance programme of "
        "%(organisation)s on the iGuS EAP portal. Open this link within 7 days to choose "
        "your password:\n\n%(link)s\n\nIf you did not expect this, ignore this e-mail.",
        organisation=organisation.name, link=link,
    )
    return email, _("Invitation to the iGuS EAP portal"), body


def read_invitation(token: str) -> HrInvitation | None:
    """The pending invitation behind ``token``: None when unknown, used, revoked or expired."""
    invitation = db.session.scalar(
        sa.select(HrInvitation).where(
            HrInvitation.token_digest == _digest(token), HrInvitation.used_at.is_(None),
            HrInvitation.expires_at > utcnow(),
        )
    )
    if invitation is None or accounts.find_by_email(invitation.email):
        return None
    return invitation


def revoke(invitation: HrInvitation) -> None:
    db.session.delete(invitation)
    db.session.flush()


def accept(invitation: HrInvitation, name: str, password: str) -> HrUser:
    problem = password_problem(password)
    if problem:
        raise TeamError(problem)
    # Claimed atomically: of two submissions of the same link, one wins.
    claimed = db.session.execute(
        sa.update(HrInvitation)
        .where(HrInvitation.id == invitation.id, HrInvitation.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise TeamError(_l("This invitation is invalid, used or has expired. "
                           "Please ask for a new one."))
    user = HrUser(
        organisation_id=invitation.organisation_id, email=invitation.email, name=name.strip(),
        role=invitation.role, password_hash=hash_password(password),
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
