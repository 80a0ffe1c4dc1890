"""The same counsellor: a new request goes to the previous counsellor if the requester agrees;
that counsellor then reads the earlier cases; a different counsellor is one click, no reason."""

from __future__ import annotations

import sqlalchemy as sa

from eap.extensions import db
from eap.requests.models import CaseEvent, HelpRequest
from eap.staff.models import StaffUser
from tests.conftest import post_form
from tests.counselling.appointment_helpers import assign_only_case
from tests.requests.conftest import send_request

QUESTION = "same counsellor as last time"


def _newest(app) -> HelpRequest:
    with app.app_context():
        case = db.session.scalars(sa.select(HelpRequest).order_by(HelpRequest.id.desc())).first()
        db.session.expunge(case)
        return case


def _first_case_with(app, client, staff_client) -> tuple:
    assert QUESTION not in client.get("/help/requests/new?danger=no").get_data(as_text=True)
    assert send_request(client, description="Erste Anfrage: Schlafprobleme.").status_code == 302
    staff, counsellor = staff_client()
    first = assign_only_case(app, counsellor.id)
    return staff, counsellor, first


def test_a_new_request_goes_to_the_same_counsellor_who_reads_the_earlier_one(
    app, client, signed_up, staff_client
):
    staff, counsellor, first = _first_case_with(app, client, staff_client)
    assert QUESTION in client.get("/help/requests/new?danger=no").get_data(as_text=True)
    assert send_request(client, same_counsellor="yes").status_code == 302
    second = _newest(app)
    assert (second.assigned_staff_id, second.status) == (counsellor.id, "triaged")
    with app.app_context():
        kinds = set(db.session.scalars(
            sa.select(CaseEvent.kind).where(CaseEvent.case_id == second.id)))
    assert {"continuity", "assignee", "status"} <= kinds

    page = staff.get(f"/staff/cases/{second.public_id}").get_data(as_text=True)
    assert "Earlier requests of this person" in page and first[:6] in page
    assert "Schlafprobleme" in staff.get(f"/staff/cases/{first}").get_data(as_text=True)
    # nobody else gains anything
    other, _member = staff_client()
    assert other.get(f"/staff/cases/{first}").status_code == 404


def test_without_consent_or_for_acute_danger_the_request_goes_to_triage(
    app, client, signed_up, staff_client
):
    _staff, counsellor, first = _first_case_with(app, client, staff_client)
    assert send_request(client, same_counsellor="no").status_code == 302
    assert _newest(app).assigned_staff_id is None
    assert send_request(client, danger="yes", same_counsellor="yes").status_code == 302
    assert _newest(app).assigned_staff_id is None


def test_a_counsellor_who_left_is_not_chosen(app, client, signed_up, staff_client):
    _staff, counsellor, _first = _first_case_with(app, client, staff_client)
    with app.app_context():
        db.session.get(StaffUser, counsellor.id).active = False
        db.session.commit()
    assert QUESTION not in client.get("/help/requests/new?danger=no").get_data(as_text=True)
    assert send_request(client, same_counsellor="yes").status_code == 302
    assert _newest(app).assigned_staff_id is None


def test_asking_for_a_different_counsellor_needs_no_reason(app, client, signed_up, staff_client):
    staff, counsellor, first = _first_case_with(app, client, staff_client)
    case_url = f"/help/requests/{first}"
    assert "I would like a different counsellor" in client.get(case_url).get_data(as_text=True)
    answer = post_form(client, f"{case_url}/other-counsellor", {}, from_url=case_url)
    assert answer.status_code == 303
    case = _newest(app)
    assert (case.assigned_staff_id, case.status) == (None, "new")
    assert staff.get(f"/staff/cases/{first}").status_code == 404
    with app.app_context():
        event = db.session.scalar(sa.select(CaseEvent).where(
            CaseEvent.kind == "other_counsellor"))
        assert event.old_value == str(counsellor.id) and event.reason is None
    # that counsellor is not offered again for a new request either
    assign_only_case(app, counsellor.id)
    assert QUESTION not in client.get("/help/requests/new?danger=no").get_data(as_text=True)
    assert send_request(client, same_counsellor="yes").status_code == 302
    assert _newest(app).assigned_staff_id is None
