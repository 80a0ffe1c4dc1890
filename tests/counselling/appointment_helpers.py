"""Helpers of the appointment tests: a counsellor with weekly times, a requester's assigned case."""

from __future__ import annotations

import re
from datetime import time

import sqlalchemy as sa

from eap.counselling.appointment_models import Appointment, AvailabilityRule
from eap.extensions import db
from eap.requests.models import HelpRequest
from tests.conftest import CSRF_RE

SLOT_RE = re.compile(r'name="slot" value="([^"]+)"')


def open_every_day(app, staff_id: int, starts=time(8, 0), ends=time(20, 0)) -> None:
    """Weekly times on all seven days, so that slots exist whatever day the test runs."""
    with app.app_context():
        for weekday in range(7):
            db.session.add(AvailabilityRule(staff_id=staff_id, weekday=weekday, starts=starts,
                                            ends=ends, slot_minutes=60))
        db.session.commit()


def assign_only_case(app, staff_id: int, organisation_id: int | None = None) -> str:
    """Assign the (newest) case, of the organisation if given, to ``staff_id``; its public id."""
    with app.app_context():
        query = sa.select(HelpRequest).order_by(HelpRequest.id.desc())
        if organisation_id is not None:
            query = query.where(HelpRequest.organisation_id == organisation_id)
        case = db.session.scalars(query).first()
        case.assigned_staff_id, case.status = staff_id, "in_progress"
        db.session.commit()
        return case.public_id


def slots_on_page(page: str) -> list[str]:
    return SLOT_RE.findall(page)


def book(client, public_id: str, slot: str, modality: str = "video"):
    url = f"/help/requests/{public_id}/appointment"
    token = CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, "slot": slot, "modality": modality})


def appointments_of(app, public_id: str) -> list[tuple[str, str, str]]:
    """(start key, modality, status) of the case's appointments, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Appointment.starts_at, Appointment.modality, Appointment.status)
            .join(HelpRequest, HelpRequest.id == Appointment.case_id)
            .where(HelpRequest.public_id == public_id).order_by(Appointment.id)
        ).all()
    return [(start.strftime("%Y-%m-%dT%H:%MZ"), modality, status)
            for start, modality, status in rows]
