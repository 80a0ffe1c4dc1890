"""The requester's side of a referral follow-up: agree to the question, then answer it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from eap.counselling import follow_up
from eap.requests import cases
from eap.requests import session as requester
from eap.security.forms import ConfirmForm

bp = Blueprint("requests_follow_up", __name__, url_prefix="/help/requests")


def _case(public_id: str):
    case = cases.get_case_or_404(requester.current(), public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return case


def _back(public_id: str):
    return redirect(url_for("requests_cases.show", public_id=public_id), 303)


@bp.post("/<public_id>/referral-follow-up/consent")
@requester.requester_required()
def consent(public_id: str):
    case = _case(public_id)
    if follow_up.give_consent(case, request.form.get("referral"),
                              request.form.get("consent") == "yes"):
        flash(_("Thank you. Your answer is saved."), "success")
    return _back(public_id)


@bp.post("/<public_id>/referral-follow-up/answer")
@requester.requester_required()
def answer(public_id: str):
    case = _case(public_id)
    if follow_up.answer(case, request.form.get("referral"), request.form.get("reached", ""),
                        request.form.get("helped", "")):
        flash(_("Thank you. Your answer is saved."), "success")
    else:
        flash(_("Please answer the question."), "error")
    return _back(public_id)


@bp.app_template_global()
def referral_follow_ups(case) -> list:
    """The case's referrals and where each follow-up stands (requester case page)."""
    return follow_up.items(case)
