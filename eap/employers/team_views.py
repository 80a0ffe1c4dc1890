"""Team pages: the owner invites and removes HR users; invited people join by link."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse

from eap import transactions
from eap.employers import accounts, team
from eap.employers.forms import ROLE_LABELS, InviteForm, JoinForm, RoleForm
from eap.employers.lookup import get_invitation_or_404, get_team_member_or_404
from eap.employers.models import Organisation
from eap.extensions import db, limit_hit
from eap.security import ratelimits, sessions
from eap.security.access import hr_required
from eap.security.forms import ConfirmForm

bp = Blueprint("hr_team", __name__, url_prefix="/hr/team")

INVITATION_MAILS_PER_ADDRESS = "3 per hour"  # per organisation and invited address


@bp.route("/", methods=["GET", "POST"])
@hr_required("owner")
def index():
    form = InviteForm()
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, current_user.organisation_id)
        try:
            message = team.invite(organisation, form.email.data, form.role.data)
        except team.TeamError as problem:
            db.session.rollback()
            form.email.errors.append(str(problem))
        else:
            # Stored and listed always; the mail to one address from one organisation is capped
            # silently, so no owner can flood an inbox, and no other organisation's invitations
            # count against this one's (issue 26, item 2).
            if limit_hit(parse(INVITATION_MAILS_PER_ADDRESS), "invitation-mails",
                                   str(organisation.id), ratelimits.account_digest(message[0])):
                transactions.after_commit(accounts.send, message)
            flash(_("The invitation is on its way. The link is valid for 7 days."), "success")
            return redirect(url_for("hr_team.index"), 303)
    return render_template(
        "hr/team.html", form=form, members=team.members(current_user.organisation_id),
        invitations=team.pending_invitations(current_user.organisation_id), roles=ROLE_LABELS,
    )


def _committed(action) -> bool:
    """Run a team change and commit it; on a refusal roll back and flash why (False)."""
    try:
        action()
    except team.TeamError as problem:
        db.session.rollback()
        flash(str(problem), "error")
        return False
    return True


@bp.post("/<int:user_id>/role")
@hr_required("owner")
def change_role(user_id: int):
    member = get_team_member_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.role.errors) or _("Please choose a role."), "error")
        return redirect(url_for("hr_team.index"), 303)
    old_role = member.role
    if not _committed(lambda: team.change_role(member, form.role.data)):
        return redirect(url_for("hr_team.index"), 303)
    if member.role != old_role:
        flash(_("%(name)s is %(role)s now.", name=member.name or member.email,
                role=ROLE_LABELS[member.role]), "success")
    if member.id == current_user.id and member.role != "owner":
        return redirect(url_for("hr_auth.home"), 303)  # the team page is for owners only
    return redirect(url_for("hr_team.index"), 303)


@bp.post("/<int:user_id>/remove")
@hr_required("owner")
def remove(user_id: int):
    member = get_team_member_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    removing_self = member.id == current_user.id
    if not _committed(lambda: team.remove(member)):
        return redirect(url_for("hr_team.index"), 303)
    if removing_self:
        return redirect(url_for("hr_auth.login"), 303)
    flash(_("The user is removed and signed out."), "success")
    return redirect(url_for("hr_team.index"), 303)


@bp.post("/invitations/<int:invitation_id>/revoke")
@hr_required("owner")
def revoke_invitation(invitation_id: int):
    invitation = get_invitation_or_404(invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    team.revoke(invitation)
    flash(_("The invitation is withdrawn; its link no longer works."), "success")
    return redirect(url_for("hr_team.index"), 303)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    invitation = team.read_invitation(token)
    if invitation is None:
        flash(_("This invitation is invalid, used or has expired. Please ask for a new one."),
              "error")
        return redirect(url_for("hr_auth.login"))
    form = JoinForm()
    if form.validate_on_submit():
        try:
            user = team.accept(invitation, form.name.data, form.password.data)
        except team.TeamError as problem:
            db.session.rollback()
            form.password.errors.append(str(problem))  # the form keeps its values
        else:
            sessions.start(user)
            flash(_("Welcome to the team."), "success")
            return redirect(url_for("hr_auth.home"), 303)
    return render_template("hr/join.html", form=form, email=invitation.email)
