"""The case page and its forms: reply, note, status, triage, contact, referral, close, reopen."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap import transactions
from eap.counselling import casework, lookup, referrals
from eap.counselling import forms as case_forms
from eap.counselling import page as case_page
from eap.counselling.blueprint import bp
from eap.counselling.forms import options
from eap.extensions import db
from eap.requests import messages

FORMS = {
    "reply": case_forms.ReplyForm, "note": case_forms.NoteForm,
    "status": case_forms.StatusForm, "triage": case_forms.TriageForm,
    "contact": case_forms.ContactForm, "referral": case_forms.ReferralForm,
    "close": case_forms.CloseForm, "reopen": case_forms.ReopenForm,
}
ACTIONS = "any(" + ", ".join(FORMS) + ")"


def _apply(action: str, case, form) -> None:
    """Hand the validated form to the matching service function."""
    me, seen = current_user, form.version.data
    if action == "reply":
        casework.reply(case, me, seen, form.body.data, bool(form.wait.data))
    elif action == "note":
        casework.add_note(case, me, seen, form.body.data)
    elif action == "status":
        casework.set_status(case, me, seen, form.status.data, form.reason.data)
    elif action == "triage":
        casework.set_triage(case, me, seen, form.priority.data, form.topic.data, form.reason.data)
    elif action == "contact":
        casework.count_contact(case, me, seen, form.kind.data)
    elif action == "referral":
        casework.refer(case, me, seen, form.service.data, form.note.data)
    elif action == "close":
        casework.close(case, me, seen, form.outcome.data, form.reason.data)
    elif action == "reopen":
        casework.reopen(case, me, seen, form.reason.data)


def _seen_at(form) -> datetime | None:
    try:
        return datetime.fromisoformat(form.seen_at.data or "")
    except ValueError:
        return None


@bp.get("/<public_id>")
def show(public_id: str):
    return case_page.render(lookup.get_case_or_404(public_id))


@bp.post(f"/<public_id>/<{ACTIONS}:action>")
def act(public_id: str, action: str):
    case = lookup.get_case_or_404(public_id)
    form = FORMS[action](prefix=action)
    if action == "referral":
        form.service.choices = options((s.id, s.name) for s in referrals.active_services())
    if not form.validate_on_submit():
        return case_page.render(case, {action: form}, status=400)
    try:
        _apply(action, case, form)
    except casework.CaseChanged:
        db.session.rollback()
        case = lookup.get_case_or_404(public_id)
        changes = casework.changes_since(case, form.version.data, _seen_at(form))
        case_forms.restamp(form, case)  # the user has now seen the changes
        return case_page.render(case, {action: form}, changes=changes, status=409)
    except casework.NotAllowed:
        db.session.rollback()
        case = lookup.get_case_or_404(public_id)
        flash(_("This change is not possible in the case's current status."), "error")
        return case_page.render(case, {action: form}, status=409)
    if action == "reply":
        transactions.after_commit(messages.notify, case)  # the ping carries no content
    flash(_("Saved."), "success")
    return redirect(url_for("counselling.show", public_id=public_id), 303)
