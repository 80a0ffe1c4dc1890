"""Rendering the case page: every rendering is a read of case content and is audit-logged."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from eap import transactions
from eap.counselling import display, lookup, referrals
from eap.counselling import forms as case_forms
from eap.counselling.forms import options
from eap.counselling.models import CaseNote, CaseReferral, CaseWork
from eap.extensions import db
from eap.models import utcnow
from eap.requests import messages
from eap.requests.models import CaseEvent
from eap.staff.models import StaffUser

WORKFLOW = ("new", "triaged", "in_progress", "waiting", "closed")


def blank_forms(case) -> dict:
    """Fresh forms, each stamped with the version and moment the page shows."""
    stamp = {"version": case.version, "seen_at": utcnow().isoformat()}
    forms = {
        name: form_class(formdata=None, prefix=name, **stamp)
        for name, form_class in {
            "reply": case_forms.ReplyForm, "note": case_forms.NoteForm,
            "status": case_forms.StatusForm, "contact": case_forms.ContactForm,
            "referral": case_forms.ReferralForm, "close": case_forms.CloseForm,
            "reopen": case_forms.ReopenForm,
        }.items()
    }
    forms["triage"] = case_forms.TriageForm(
        formdata=None, prefix="triage", priority=case.priority, topic=case.topic, **stamp
    )
    return forms


# The action group (case.html) that holds each form.
ACTION_GROUPS = {"reply": "reply", "note": "note", "status": "status", "reopen": "status",
                 "triage": "triage", "contact": "refer", "referral": "refer", "close": "close"}


def open_action(case, submitted: dict | None) -> str:
    """The one action group shown open: the submitted form's (errors, conflicts), else reply."""
    if submitted:
        return ACTION_GROUPS.get(next(iter(submitted)), "")
    return "reply" if case.is_open else ""


def render(case, submitted: dict | None = None, changes=None, status: int = 200):
    """The case page; ``submitted`` forms keep what the user typed (errors, conflicts).

    Everything is read and rendered first; the writes of a view (the audit entry, the requester's
    messages marked read) come last, so the write transaction (SQLite's lock) stays short.
    """
    forms = {**blank_forms(case), **(submitted or {})}
    services = referrals.all_services()
    forms["referral"].service.choices = options((s.id, s.name) for s in services if s.active)
    events = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    staff_names = dict(db.session.execute(sa.select(StaffUser.id, StaffUser.name)).all())
    names = {str(k): v for k, v in staff_names.items()}
    service_names = {str(s.id): s.name for s in services}
    html = render_template(
        "counselling/case.html", case=case, forms=forms, changes=changes,
        work=db.session.get(CaseWork, case.id), workflow=WORKFLOW,
        notes=db.session.scalars(
            sa.select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id)
        ).all(),
        case_referrals=db.session.scalars(
            sa.select(CaseReferral).where(CaseReferral.case_id == case.id)
            .order_by(CaseReferral.id)
        ).all(),
        events=events, describe=lambda e: display.describe(e, names, service_names),
        staff_names=staff_names, may_assign=current_user.role in lookup.ALL_CASES_ROLES,
        open_action=open_action(case, submitted),
    )
    lookup.audit_view(case)
    if case.assigned_staff_id == current_user.id:
        messages.mark_shown_read(case, "requester")  # after rendering: "new" still shows
    if status >= 400:
        # Deliberate commit: the refused form's page showed case content too; its audit entry
        # must survive the boundary's rollback of an error answer (DESIGN.md §3.4).
        transactions.commit_now("audit of a case shown with a refused form")
    return html, status
