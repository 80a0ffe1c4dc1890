"""Who should take a case: ranked suggestions, and atomic taking and assigning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from eap.counselling.casework import CaseChanged
from eap.extensions import db
from eap.models import utcnow
from eap.requests import choices
from eap.requests.deadlines import BERLIN
from eap.requests.models import CaseEvent, HelpRequest
from eap.security import audit
from eap.staff.models import StaffUser

COUNSELLING_ROLES = ("counsellor", "triage")


class AlreadyTaken(Exception):
    """Somebody else took the case first."""


@dataclass
class Suggestion:
    staff: StaffUser
    specialty: bool
    language: bool
    open_now: int
    this_year: int

    @property
    def load(self) -> float:
        return self.this_year / max(self.staff.yearly_capacity or 0, 1)

    @property
    def at_capacity(self) -> bool:
        return self.this_year >= (self.staff.yearly_capacity or 0)

    def rank(self) -> tuple:
        # Fit first (topic, then language), then whoever has room: capacity, this year, today.
        return (not self.specialty, not self.language, self.at_capacity, self.load,
                self.open_now, self.staff.name)


def _counts(where, start: datetime | None = None) -> dict[int, int]:
    query = (
        sa.select(HelpRequest.assigned_staff_id, sa.func.count(HelpRequest.id))
        .where(HelpRequest.assigned_staff_id.is_not(None), where)
        .group_by(HelpRequest.assigned_staff_id)
    )
    if start is not None:
        query = query.where(HelpRequest.created_at >= start)
    return dict(db.session.execute(query).all())


def suggestions(case: HelpRequest, now: datetime | None = None) -> list[Suggestion]:
    now = (now or utcnow()).astimezone(BERLIN)
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    open_now = _counts(HelpRequest.status.in_(choices.OPEN_STATUSES))
    this_year = _counts(sa.true(), start=year_start)
    staff = db.session.scalars(
        sa.select(StaffUser).where(
            StaffUser.active.is_(True), StaffUser.role.in_(COUNSELLING_ROLES)
        )
    )
    ranked = [
        Suggestion(
            staff=person,
            specialty=case.topic in person.specialty_list,
            language=case.language in person.language_list,
            open_now=open_now.get(person.id, 0),
            this_year=this_year.get(person.id, 0),
        )
        for person in staff
    ]
    return sorted(ranked, key=Suggestion.rank)


def counsellors() -> list[tuple[int, str]]:
    """(id, name) of everyone a case can be assigned to, by name (the inbox row's choice)."""
    return list(db.session.execute(
        sa.select(StaffUser.id, StaffUser.name)
        .where(StaffUser.active.is_(True), StaffUser.role.in_(COUNSELLING_ROLES))
        .order_by(StaffUser.name)
    ).all())


def _assign(case: HelpRequest, staff_id: int, actor, condition) -> None:
    """One UPDATE that only succeeds under ``condition``: the database decides who wins."""
    old_staff, old_status = case.assigned_staff_id, case.status
    new_status = "triaged" if old_status == "new" else old_status
    result = db.session.execute(
        sa.update(HelpRequest)
        .where(HelpRequest.id == case.id, condition)
        .values(assigned_staff_id=staff_id, status=new_status, version=HelpRequest.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise AlreadyTaken()
    db.session.expire(case)
    version = case.version
    db.session.add(CaseEvent(
        case_id=case.id, actor_id=actor.id, kind="assignee", old_value=str(old_staff or ""),
        new_value=str(staff_id), version=version,
    ))
    if new_status != old_status:
        db.session.add(CaseEvent(
            case_id=case.id, actor_id=actor.id, kind="status", old_value=old_status,
            new_value=new_status, version=version,
        ))
    audit.record("case.assignee", "help_request", case.public_id, actor=actor)


def take(case: HelpRequest, actor) -> None:
    """The signed-in staff member takes an unassigned case; raises AlreadyTaken if too late."""
    if not case.is_open:
        raise AlreadyTaken()
    _assign(case, actor.id, actor, HelpRequest.assigned_staff_id.is_(None))


def assign(case: HelpRequest, actor, staff_id: int, seen_version: int | None) -> None:
    """Triage assigns (or re-assigns) a case, if it has not changed since it was shown."""
    person = db.session.get(StaffUser, staff_id)
    if person is None or not person.active or person.role not in COUNSELLING_ROLES:
        raise ValueError("not a counsellor")
    if not case.is_open or seen_version is None:
        raise CaseChanged()
    try:
        _assign(case, staff_id, actor, HelpRequest.version == seen_version)
    except AlreadyTaken as exc:
        raise CaseChanged() from exc
