"""Two people can never book the same slot: requesters booking at the same moment, in threads.

Run it on PostgreSQL (``EAP_TEST_DATABASE_URL``): there the transactions really overlap and
the partial unique index decides. On SQLite the writes are serialised by the file lock; the
outcome must be the same.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eap.counselling import appointments, slots
from eap.counselling.appointment_models import Appointment
from eap.extensions import db
from eap.requests.models import HelpRequest
from tests.counselling.appointment_helpers import open_every_day

PEOPLE = 6


def _race(app, work) -> list[str]:
    """Run ``work(i)`` in PEOPLE threads released together; each returns its outcome."""
    barrier = threading.Barrier(PEOPLE, timeout=30)
    outcomes: list[str] = [""] * PEOPLE

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                outcomes[i] = work(i)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def cases_of_one_counsellor(app, make_case, make_staff):
    counsellor = make_staff()
    open_every_day(app, counsellor.id)
    case_ids = [
        make_case(assigned_staff_id=counsellor.id, status="in_progress").id
        for _ in range(PEOPLE)
    ]
    with app.app_context():
        first = slots.free_slots(counsellor.id)[0]
    return counsellor, case_ids, first.starts_at


def test_concurrent_bookings_of_one_slot_give_it_to_exactly_one(app, cases_of_one_counsellor):
    counsellor, case_ids, start = cases_of_one_counsellor

    def book(i: int) -> str:
        case = db.session.get(HelpRequest, case_ids[i])
        try:
            appointments.book(case, start, "phone")
            db.session.commit()
            return "booked"
        except appointments.SlotTaken:
            db.session.rollback()
            return "taken"

    outcomes = _race(app, book)
    assert sorted(outcomes) == ["booked"] + ["taken"] * (PEOPLE - 1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Appointment.id)).where(
            Appointment.staff_id == counsellor.id, Appointment.status == "booked")) == 1


def test_the_index_alone_stops_concurrent_inserts(app, cases_of_one_counsellor):
    """Without the service's checks: plain inserts at the same moment, one commit wins."""
    counsellor, case_ids, start = cases_of_one_counsellor
    slot = datetime(2031, 3, 4, 9, tzinfo=UTC)

    def insert(i: int) -> str:
        db.session.add(Appointment(case_id=case_ids[i], staff_id=counsellor.id,
                                   starts_at=slot, ends_at=slot, modality="video"))
        try:
            db.session.commit()
            return "inserted"
        except sa.exc.IntegrityError:
            db.session.rollback()
            return "refused"

    outcomes = _race(app, insert)
    assert sorted(outcomes) == ["inserted"] + ["refused"] * (PEOPLE - 1)
