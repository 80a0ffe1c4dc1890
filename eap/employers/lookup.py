"""One lookup helper per HR resource: the object of the user's own organisation, or 404."""

from flask import abort
from flask_login import current_user

from eap.employers.models import AccessCode, HrInvitation, HrUser
from eap.extensions import db


def get_access_code_or_404(code_id: int) -> AccessCode:
    code = db.session.get(AccessCode, code_id)
    if code is None or not code.active or code.organisation_id != current_user.organisation_id:
        abort(404)
    return code


def get_team_member_or_404(user_id: int) -> HrUser:
    member = db.session.get(HrUser, user_id)
    if member is None or member.organisation_id != current_user.organisation_id:
        abort(404)
    return member


def get_invitation_or_404(invitation_id: int) -> HrInvitation:
    invitation = db.session.get(HrInvitation, invitation_id)
    if invitation is None or invitation.organisation_id != current_user.organisation_id:
        abort(404)
    return invitation
