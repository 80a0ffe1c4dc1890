"""Appointments: a requester books, moves and cancels; the .ics file; the counsellor's day;
availability with exceptions and NRW holidays; package modalities; content-free reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from eap.counselling import appointments, slots
from eap.counselling.appointment_models import (
    Appointment,
    AvailabilityException,
    AvailabilityRule,
)
from eap.extensions import db
from eap.requests.models import RequesterAccount
from tests.conftest import CSRF_RE, post_form
from tests.counselling.appointment_helpers import (
    appointments_of,
    assign_only_case,
    book,
    open_every_day,
    slots_on_page,
)
from tests.requests.conftest import send_request, sign_up

VIDEO = "https://video.igus.example/eap-{room}"


@pytest.fixture
def app_settings():
    return {"VIDEO_URL_TEMPLATE": VIDEO}


@pytest.fixture
def booked_world(app, client, signed_up, staff_client):
    """A signed-in requester whose case is assigned to a counsellor with weekly times."""
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    open_every_day(app, counsellor.id)
    public_id = assign_only_case(app, counsellor.id)
    return public_id, staff, counsellor


def test_book_move_cancel_and_the_counsellors_day(app, client, booked_world):
    public_id, staff, _counsellor = booked_world
    page = client.get(f"/help/requests/{public_id}").get_data(as_text=True)
    assert f"/help/requests/{public_id}/appointment" in page
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    assert len(offered) > 20

    assert book(client, public_id, offered[0]).status_code == 303
    page = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    assert "Your appointment" in page
    assert offered[0] not in slots_on_page(page)  # no longer offered
    assert "https://video.igus.example/eap-" in page

    assert book(client, public_id, offered[3], "phone").status_code == 303
    assert appointments_of(app, public_id) == [
        (offered[0], "video", "moved"), (offered[3], "phone", "booked"),
    ]
    start = datetime.strptime(offered[3], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    day = start.astimezone(slots.BERLIN).date()
    day_page = staff.get(f"/staff/appointments/?day={day.isoformat()}").get_data(as_text=True)
    assert public_id[:6] in day_page
    assert "Phone call" in day_page

    url = f"/help/requests/{public_id}/appointment/cancel"
    assert post_form(client, url, {}, from_url=f"/help/requests/{public_id}/appointment"
                     ).status_code == 303
    assert appointments_of(app, public_id)[-1][2] == "cancelled"
    day_page = staff.get(f"/staff/appointments/?day={day.isoformat()}").get_data(as_text=True)
    assert public_id[:6] not in day_page
    assert offered[3] in slots_on_page(
        client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True))


def test_ics_holds_time_and_modality_only(app, client, booked_world):
    public_id, _staff, _counsellor = booked_world
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    book(client, public_id, offered[1], "video")
    response = client.get(f"/help/requests/{public_id}/appointment.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart").strftime("%Y-%m-%dT%H:%MZ") == offered[1]
    assert set(event.keys()) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"}
    assert "Video" in str(event["SUMMARY"])
    text = response.data.decode()
    for secret in ("schlafen", public_id, "Staff", "igus.example", "stress"):
        assert secret not in text
    assert "ATTENDEE" not in text and "ORGANIZER" not in text and "LOCATION" not in text


def test_a_slot_taken_meanwhile_is_refused_with_a_clear_answer(
    app, client, booked_world, working_code
):
    public_id, _staff, counsellor = booked_world
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    other = app.test_client()
    organisation, code = working_code()
    sign_up(other, code)
    assert send_request(other).status_code == 302
    other_case = assign_only_case(app, counsellor.id, organisation.id)
    assert book(other, other_case, offered[2]).status_code == 303
    answer = book(client, public_id, offered[2])
    assert answer.status_code == 409
    assert "just booked by someone else" in answer.get_data(as_text=True)
    assert appointments_of(app, public_id) == []


def test_requester_cannot_book_for_anothers_case_nor_before_assignment(
    app, client, signed_up, working_code, staff_client
):
    assert send_request(client).status_code == 302
    _staff, counsellor = staff_client()
    open_every_day(app, counsellor.id)
    with app.app_context():
        from eap.requests.models import HelpRequest

        mine = db.session.scalar(sa.select(HelpRequest.public_id))
    page = client.get(f"/help/requests/{mine}/appointment").get_data(as_text=True)
    assert "as soon as a counsellor has taken on your request" in page
    assert slots_on_page(page) == []
    assign_only_case(app, counsellor.id)
    stranger = app.test_client()
    _org, code = working_code()
    sign_up(stranger, code)
    assert stranger.get(f"/help/requests/{mine}/appointment").status_code == 404
    assert stranger.get(f"/help/requests/{mine}/appointment.ics").status_code == 404


def test_the_package_decides_the_modalities(app, client, booked_world):
    public_id, _staff, _counsellor = booked_world
    with app.app_context():
        from eap.billing.models import Contract
        from eap.packages.models import ServicePackage

        package_id = db.session.scalar(sa.select(Contract.package_id))
        db.session.get(ServicePackage, package_id).appointment_modalities = "phone"
        db.session.commit()
    page = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    assert 'value="phone"' in page and 'value="video"' not in page
    offered = slots_on_page(page)
    assert book(client, public_id, offered[0], "video").status_code == 400
    assert book(client, public_id, offered[0], "phone").status_code == 303


def test_the_database_refuses_a_second_booking_of_a_slot(app, make_case, make_staff):
    counsellor = make_staff()
    first, second = make_case(), make_case()
    start = datetime(2030, 1, 7, 9, tzinfo=UTC)
    with app.app_context():
        for case in (first, second):
            db.session.add(Appointment(case_id=case.id, staff_id=counsellor.id,
                                       starts_at=start, ends_at=start, modality="phone"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
        # a cancelled appointment does not hold its slot
        db.session.add(Appointment(case_id=first.id, staff_id=counsellor.id, starts_at=start,
                                   ends_at=start, modality="phone", status="cancelled"))
        db.session.add(Appointment(case_id=second.id, staff_id=counsellor.id, starts_at=start,
                                   ends_at=start, modality="phone"))
        db.session.commit()


def _keys(found) -> list[str]:
    return [s.starts_at.astimezone(slots.BERLIN).strftime("%m-%d %H:%M") for s in found]


def test_weekly_pattern_exceptions_and_nrw_holidays(app, make_staff):
    counsellor = make_staff()
    monday = datetime(2026, 12, 21, 6, tzinfo=UTC)  # a Monday; Christmas is on Friday
    with app.app_context():
        for weekday in range(5):
            db.session.add(AvailabilityRule(staff_id=counsellor.id, weekday=weekday,
                                            starts=time(9), ends=time(12), slot_minutes=60))
        db.session.add(AvailabilityException(staff_id=counsellor.id, day=date(2026, 12, 22)))
        db.session.add(AvailabilityException(staff_id=counsellor.id, day=date(2026, 12, 23),
                                             starts=time(10), ends=time(11)))
        db.session.add(AvailabilityException(staff_id=counsellor.id, day=date(2026, 12, 26),
                                             available=True, starts=time(14), ends=time(16)))
        db.session.commit()
        found = _keys(slots.free_slots(counsellor.id, now=monday, days=6))
    assert found == [
        "12-21 09:00", "12-21 10:00", "12-21 11:00",  # Monday
        # Tuesday: off all day; Wednesday: 10–11 off
        "12-23 09:00", "12-23 11:00",
        "12-24 09:00", "12-24 10:00", "12-24 11:00",  # Christmas Eve is no NRW holiday
        # Friday 25th and Saturday 26th are holidays: only the extra hours on the 26th
        "12-26 14:00", "12-26 15:00",
    ]


def test_staff_keep_their_own_availability(app, staff_client):
    staff, counsellor = staff_client()
    url = "/staff/appointments/availability"
    page = staff.get(url).get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    answer = staff.post(url + "/rules", data={
        "csrf_token": token, "rule-weekday": "2", "rule-starts": "09:00", "rule-ends": "08:00",
        "rule-slot_minutes": "50"})
    assert answer.status_code == 400
    answer = staff.post(url + "/rules", data={
        "csrf_token": token, "rule-weekday": "2", "rule-starts": "09:00", "rule-ends": "12:00",
        "rule-slot_minutes": "50"})
    assert answer.status_code == 303
    answer = staff.post(url + "/exceptions", data={
        "csrf_token": token, "exception-day": "2030-05-02", "exception-available": "off"})
    assert answer.status_code == 303
    page = staff.get(url).get_data(as_text=True)
    assert "Wednesday, 09:00–12:00" in page and "Not available" in page
    with app.app_context():
        rule_id = db.session.scalar(sa.select(AvailabilityRule.id))
    other, _member = staff_client()
    assert other.post(url + "/remove", data={
        "csrf_token": CSRF_RE.search(other.get(url).get_data(as_text=True)).group(1),
        "kind": "rule", "id": rule_id}).status_code == 404
    assert staff.post(url + "/remove", data={"csrf_token": token, "kind": "rule",
                                             "id": rule_id}).status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AvailabilityRule.id))) == 0


def test_reminders_are_content_free_and_sent_once(app, client, booked_world, mailbox):
    app.config.update(mailbox.settings)
    public_id, _staff, _counsellor = booked_world
    post_form(client, "/help/account/notifications", {"email": "me@private.example"})
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    book(client, public_id, offered[0])
    start = datetime.strptime(offered[0], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    runner = app.test_cli_runner()
    with app.app_context():
        assert appointments.send_reminders(now=start.replace(year=start.year - 1)) == 0
    result = runner.invoke(args=["send-appointment-reminders", "--hours", "48"])
    assert "sent: 1" in result.output
    assert runner.invoke(args=["send-appointment-reminders", "--hours", "48"]
                         ).output.endswith("sent: 0\n")
    assert len(mailbox.messages) == 1
    text = str(mailbox.messages[0])
    assert "Termin" in mailbox.messages[0]["Subject"]  # in the language of the request (de)
    for secret in (public_id, "schlafen", "stress", "Video", "video", start.strftime("%H:%M")):
        assert secret not in text
    with app.app_context():
        assert db.session.scalar(sa.select(RequesterAccount.notification_email))


def test_own_data_shows_the_appointment_and_erasure_frees_the_slot(app, client, booked_world):
    public_id, _staff, counsellor = booked_world
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    book(client, public_id, offered[0], "phone")
    exported = client.get("/help/account/data.json").get_json()
    assert exported["requests"][0]["appointments"][0]["modality"] == "phone"
    answer = post_form(client, "/help/account/delete", {"understood": "y"})
    assert answer.status_code in (302, 303)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Appointment.id))) == 0
        free = [s.key for s in slots.free_slots(counsellor.id)]
    assert offered[0] in free
