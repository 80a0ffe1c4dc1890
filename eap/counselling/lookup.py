"""One place that finds a case for a staff member, checks who may see it and audits the read."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from eap.counselling import continuity
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import HelpRequest
from eap.security import audit

ALL_CASES_ROLES = ("triage", "admin")


def may_see(case: HelpRequest, staff) -> bool:
    """Triage and admins see every case; a counsellor the cases assigned to them, and the
    earlier cases of an account whose later case they hold with the requester's consent."""
    if staff.role in ALL_CASES_ROLES or case.assigned_staff_id == staff.id:
        return True
    return continuity.may_see_earlier(case, staff)


def get_case_or_404(public_id: str) -> HelpRequest:
    """The case, if the signed-in staff member may see it (else 404, like a wrong id).

    Showing it is audit-logged where it is shown (``audit_view``); changes log themselves.
    """
    case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
    if case is None or not may_see(case, current_user):
        abort(404)
    return case


def audit_view(case: HelpRequest) -> None:
    """Who looked at which case, and when — never what they saw (DESIGN.md §3.4)."""
    audit.record("case.view", "help_request", case.public_id)


def get_open_case_for_taking(public_id: str) -> HelpRequest:
    """Any staff member may take an open case from the inbox without seeing its content."""
    case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
    if case is None:
        abort(404)
    return case


def audit_previews(public_ids) -> None:
    """The inbox preview shows part of each request: one "case.preview" entry per case,
    written as one multi-row INSERT (50 ORM objects cost more than the page itself)."""
    ids = list(public_ids)
    if not ids:
        return
    first = audit.new_entry("case.preview", "help_request", ids[0])
    common = {"actor_id": first.actor_id, "actor_role": first.actor_role,
              "action": first.action, "object_type": first.object_type, "created_at": utcnow()}
    db.session.execute(sa.insert(audit.AuditEntry), [common | {"object_id": i} for i in ids])
