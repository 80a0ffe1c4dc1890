"""The requester's say about their counsellor: keep them for a new request, or ask for another."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _

from eap.counselling import continuity
from eap.requests import cases
from eap.requests import session as requester
from eap.security.forms import ConfirmForm

bp = Blueprint("requests_continuity", __name__, url_prefix="/help/requests")


@bp.post("/<public_id>/other-counsellor")
@requester.requester_required()
def other_counsellor(public_id: str):
    """No reason asked: the case goes back to triage and to someone else."""
    case = cases.get_case_or_404(requester.current(), public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if continuity.ask_for_other(case):
        flash(_("Your request will go to a different counsellor."), "success")
    return redirect(url_for("requests_cases.show", public_id=public_id), 303)


@bp.app_template_global()
def same_counsellor_offered() -> bool:
    """Whether the request form asks about keeping the previous counsellor."""
    account = requester.current()
    return account is not None and continuity.previous_counsellor(account) is not None
