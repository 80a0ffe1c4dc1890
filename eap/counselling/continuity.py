"""The same counsellor: a new request goes to the counsellor of the previous one, if the
requester agrees and that counsellor still counsels; that counsellor then sees the account's
earlier cases, so nobody has to tell their story again. The requester can ask for a different
counsellor at any time, without a reason.

Consent and its withdrawal are case events (codes only): ``continuity`` on the new case, and
``other_counsellor`` (old value: the counsellor left) on the case the requester changed.
"""

from __future__ import annotations

import sqlalchemy as sa

from eap.extensions import db
from eap.requests.models import CaseEvent, HelpRequest, RequesterAccount
from eap.staff.models import StaffUser

CONSENT = "continuity"
OTHER = "other_counsellor"
COUNSELLING_ROLES = ("counsellor",)


def _declined(account_id: int) -> set[str]:
    """Counsellors this account asked to change away from (staff ids as text)."""
    return set(db.session.scalars(
        sa.select(CaseEvent.old_value)
        .join(HelpRequest, HelpRequest.id == CaseEvent.case_id)
        .where(HelpRequest.account_id == account_id, CaseEvent.kind == OTHER)
    ))


def previous_counsellor(account: RequesterAccount, but_not_case: int | None = None):
    """The counsellor of the account's latest assigned case, if they still counsel."""
    query = (
        sa.select(HelpRequest.assigned_staff_id)
        .where(HelpRequest.account_id == account.id, HelpRequest.assigned_staff_id.is_not(None))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(1)
    )
    if but_not_case is not None:
        query = query.where(HelpRequest.id != but_not_case)
    staff_id = db.session.scalar(query)
    if staff_id is None or str(staff_id) in _declined(account.id):
        return None
    member = db.session.get(StaffUser, staff_id)
    if member is None or not member.active or member.role not in COUNSELLING_ROLES:
        return None
    return member


def route_new_case(case: HelpRequest, agreed: bool) -> bool:
    """Give the new case to the previous counsellor (if agreed and possible); True if done.

    Acute cases stay in the triage inbox: there the first free person answers them at once.
    """
    if not agreed or case.acute_danger or case.assigned_staff_id is not None:
        return False
    member = previous_counsellor(case.account, but_not_case=case.id)
    if member is None:
        return False
    result = db.session.execute(
        sa.update(HelpRequest)
        .where(HelpRequest.id == case.id, HelpRequest.assigned_staff_id.is_(None))
        .values(assigned_staff_id=member.id, status="triaged", version=HelpRequest.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.expire(case)
    for kind, old, new in ((CONSENT, "", "yes"), ("assignee", "", str(member.id)),
                           ("status", "new", "triaged")):
        db.session.add(CaseEvent(case_id=case.id, actor_id=None, kind=kind, old_value=old,
                                 new_value=new, version=case.version))
    db.session.flush()
    return True


def may_see_earlier(case: HelpRequest, staff) -> bool:
    """A counsellor holding a later case of the same account, given with the requester's
    consent to continuity, may read this earlier case."""
    later = (
        sa.select(HelpRequest.id)
        .join(CaseEvent, sa.and_(CaseEvent.case_id == HelpRequest.id, CaseEvent.kind == CONSENT))
        .where(HelpRequest.account_id == case.account_id, HelpRequest.id != case.id,
               HelpRequest.assigned_staff_id == staff.id)
        .limit(1)
    )
    return db.session.scalar(later) is not None


def earlier_cases(case: HelpRequest) -> list[HelpRequest]:
    """The account's other cases, newest first (the caller checks who may open which)."""
    return list(db.session.scalars(
        sa.select(HelpRequest)
        .where(HelpRequest.account_id == case.account_id, HelpRequest.id != case.id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(20)
    ))


def ask_for_other(case: HelpRequest) -> bool:
    """The requester asks for a different counsellor: the case goes back to triage."""
    if not case.is_open or case.assigned_staff_id is None:
        return False
    left = case.assigned_staff_id
    case.assigned_staff_id = None
    old_status, case.status = case.status, "new"
    db.session.flush()
    db.session.add(CaseEvent(case_id=case.id, actor_id=None, kind=OTHER, old_value=str(left),
                             version=case.version))
    if old_status != "new":
        db.session.add(CaseEvent(case_id=case.id, actor_id=None, kind="status",
                                 old_value=old_status, new_value="new", version=case.version))
    db.session.flush()
    return True
