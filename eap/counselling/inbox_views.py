"""Triage inbox, my cases, taking and assigning a case."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eap import transactions
from eap.counselling import assignment, casework, display, inbox, lookup
from eap.counselling.blueprint import bp
from eap.counselling.forms import AssignForm, options, restamp
from eap.extensions import db
from eap.models import utcnow
from eap.requests import choices
from eap.security.forms import ConfirmForm


@bp.get("/")
def inbox_list():
    filters = inbox.Filters.from_args(request.args)
    now = utcnow()
    # Triage and admins see a short preview of each request (they may read every case anyway);
    # counsellors see none. The page is never cached (no-store, like every page).
    may_assign = current_user.role in lookup.ALL_CASES_ROLES
    rows, next_cursor = inbox.inbox_page(
        filters, request.args.get("after"), now, str(get_locale()), preview=may_assign
    )
    html = render_template(
        "counselling/inbox.html", rows=display.inbox_rows(rows, now, display.labels()),
        filters=filters, next_cursor=next_cursor,
        paged=bool(request.args.get("after")),
        urgencies=inbox.URGENCY_FILTER, may_assign=may_assign,
        counsellors=assignment.counsellors() if may_assign and rows else [],
        choices=choices,
    )
    if may_assign and rows:
        lookup.audit_previews(row.public_id for row in rows)  # reading content is logged
    return html


@bp.get("/mine")
def my_cases():
    return render_template("counselling/mine.html", rows=inbox.my_cases(current_user.id))


@bp.post("/<public_id>/take")
def take(public_id: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    case = lookup.get_open_case_for_taking(public_id)
    try:
        assignment.take(case, current_user)
    except assignment.AlreadyTaken:
        db.session.rollback()
        return render_template("counselling/taken.html"), 409
    flash(_("The case is yours now."), "success")
    return redirect(url_for("counselling.show", public_id=public_id), 303)


def _assign_page(case, form: AssignForm, changes=None, status: int = 200):
    lookup.audit_view(case)
    ranked = assignment.suggestions(case)
    form.staff_id.choices = options((s.staff.id, s.staff.name) for s in ranked)
    page = render_template(
        "counselling/assign.html", case=case, form=form, ranked=ranked, changes=changes,
    )
    if status >= 400:
        # Deliberate commit: the refused form's page showed case content too; its audit entry
        # must survive the boundary's rollback of an error answer (DESIGN.md §3.4).
        transactions.commit_now("audit of a case shown with a refused form")
    return page, status


@bp.route("/<public_id>/assign", methods=["GET", "POST"])
def assign(public_id: str):
    if current_user.role not in lookup.ALL_CASES_ROLES:
        abort(403)
    case = lookup.get_case_or_404(public_id)
    if request.method == "GET":
        form = AssignForm(formdata=None, prefix="assign", version=case.version)
        form.staff_id.data = case.assigned_staff_id
        return _assign_page(case, form)
    form = AssignForm(prefix="assign")
    form.staff_id.choices = options(
        (s.staff.id, s.staff.name) for s in assignment.suggestions(case)
    )
    if not form.validate_on_submit():
        return _assign_page(case, form, status=400)
    seen = form.version.data
    try:
        assignment.assign(case, current_user, form.staff_id.data, seen)
    except (assignment.CaseChanged, ValueError):
        db.session.rollback()
        case = lookup.get_case_or_404(public_id)
        changes = casework.changes_since(case, seen, None)
        restamp(form, case)
        return _assign_page(case, form, changes=changes, status=409)
    flash(_("The case was assigned."), "success")
    return redirect(url_for("counselling.inbox_list"), 303)
