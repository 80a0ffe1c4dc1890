"""Staff cancel or move a requester's appointment (the counsellor is ill): who may, what the
requester sees and is told (content-free), the audit log, and a move into a taken slot refused
(also when two moves race; run on PostgreSQL with ``EAP_TEST_DATABASE_URL``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eap.counselling import appointment_staff, appointments, slots
from eap.extensions import db
from eap.requests.models import HelpRequest
from eap.staff.models import StaffUser
from tests.conftest import CSRF_RE, post_form
from tests.counselling.appointment_helpers import (
    appointments_of,
    assign_only_case,
    book,
    open_every_day,
    slots_on_page,
)
from tests.counselling.test_appointment_concurrency import PEOPLE, _race
from tests.requests.conftest import send_request


@pytest.fixture
def booked(app, client, signed_up, staff_client, mailbox):
    """A requester with a notification address and a booked video appointment."""
    app.config.update(mailbox.settings)
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    open_every_day(app, counsellor.id)
    public_id = assign_only_case(app, counsellor.id)
    post_form(client, "/help/account/notifications", {"email": "me@private.example"})
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    assert book(client, public_id, offered[0]).status_code == 303
    mailbox.messages.clear()
    return public_id, staff, counsellor, offered


def _post(staff, public_id: str, action: str, **data):
    page = staff.get("/staff/appointments/availability").get_data(as_text=True)
    return staff.post(f"/staff/appointments/case/{public_id}/{action}",
                      data={"csrf_token": CSRF_RE.search(page).group(1), **data})


def test_the_counsellor_moves_and_cancels_and_the_requester_sees_it(
    app, client, booked, mailbox, audit_actions
):
    public_id, staff, counsellor, offered = booked
    page = staff.get(f"/staff/cases/{public_id}").get_data(as_text=True)
    assert "Move the appointment" in page and "Cancel the appointment" in page
    assert _post(staff, public_id, "move", slot=offered[2]).status_code == 303
    assert appointments_of(app, public_id) == [
        (offered[0], "video", "staff_moved"), (offered[2], "video", "booked")]
    mine = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    assert 'id="appointment-changed"' in mine and "Your appointment" in mine
    assert len(mailbox.messages) == 1
    mail = mailbox.messages[0]
    assert mail["To"] == "me@private.example"
    text = str(mail)
    start = datetime.strptime(offered[2], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    for secret in (public_id, counsellor.name, "stress", "Video", "video",
                   start.astimezone(slots.BERLIN).strftime("%H:%M")):
        assert secret not in text

    assert _post(staff, public_id, "cancel").status_code == 303
    assert appointments_of(app, public_id)[-1][2] == "staff_cancelled"
    mine = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    assert 'id="appointment-changed"' in mine and "Your appointment</h2>" not in mine
    assert offered[2] in slots_on_page(mine)  # the slot is free again
    assert len(mailbox.messages) == 2
    actions = [action for _actor, action, _t, _id in audit_actions(public_id)]
    assert "appointment.staff_move" in actions and "appointment.staff_cancel" in actions


def test_triage_may_change_another_counsellor_may_not(app, booked, staff_client):
    public_id, _staff, _counsellor, offered = booked
    other, _member = staff_client()
    assert _post(other, public_id, "cancel").status_code == 404  # cannot even see the case
    triage, _member = staff_client(role="triage")
    assert _post(triage, public_id, "move", slot=offered[5]).status_code == 303
    assert appointments_of(app, public_id)[-1] == (offered[5], "video", "booked")
    with app.app_context():
        case = db.session.scalar(db.select(HelpRequest))
        counsellor = db.session.get(StaffUser, case.assigned_staff_id)
        assert appointment_staff.may_change(case, counsellor)


def test_the_day_view_cancels(app, booked):
    public_id, staff, _counsellor, offered = booked
    day = datetime.strptime(offered[0], "%Y-%m-%dT%H:%MZ").replace(
        tzinfo=UTC).astimezone(slots.BERLIN).date().isoformat()
    page = staff.get(f"/staff/appointments/?day={day}").get_data(as_text=True)
    assert "/cancel" in page
    response = staff.post(f"/staff/appointments/case/{public_id}/cancel", data={
        "csrf_token": CSRF_RE.search(page).group(1), "back": "day", "day": day})
    assert response.status_code == 303 and f"day={day}" in response.location
    assert appointments_of(app, public_id)[-1][2] == "staff_cancelled"


def test_a_move_into_a_taken_slot_is_refused_and_the_old_one_stays(
    app, booked, make_case, mailbox
):
    public_id, staff, counsellor, offered = booked
    with app.app_context():
        other = make_case(assigned_staff_id=counsellor.id, status="in_progress")
        taken = datetime.strptime(offered[4], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
        appointments.book(db.session.get(HelpRequest, other.id), taken, "video")
        db.session.commit()
    response = _post(staff, public_id, "move", slot=offered[4])
    assert response.status_code == 303
    assert appointments_of(app, public_id) == [(offered[0], "video", "booked")]
    assert "no longer free" in staff.get(response.location).get_data(as_text=True)
    assert mailbox.messages == []


def test_concurrent_moves_into_one_slot_give_it_to_exactly_one(app, make_case, make_staff):
    counsellor = make_staff()
    open_every_day(app, counsellor.id)
    case_ids = [make_case(assigned_staff_id=counsellor.id, status="in_progress").id
                for _ in range(PEOPLE)]
    with app.app_context():
        free = slots.free_slots(counsellor.id)
        for case_id, slot in zip(case_ids, free[1:], strict=False):
            appointments.book(db.session.get(HelpRequest, case_id), slot.starts_at, "phone")
        db.session.commit()
    target = free[0].starts_at

    def move(i: int) -> str:
        try:
            appointment_staff.move(db.session.get(HelpRequest, case_ids[i]),
                                   db.session.get(StaffUser, counsellor.id), target)
            db.session.commit()
            return "moved"
        except appointments.SlotTaken:
            db.session.rollback()
            return "taken"

    assert sorted(_race(app, move)) == ["moved"] + ["taken"] * (PEOPLE - 1)
    with app.app_context():
        booked_now = db.session.scalars(db.select(appointments.Appointment.starts_at).where(
            appointments.Appointment.status == "booked")).all()
    assert len(booked_now) == PEOPLE  # everybody still has exactly one appointment
    assert len(set(booked_now)) == PEOPLE
