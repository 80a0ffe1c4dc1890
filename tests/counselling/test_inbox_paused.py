"""The inbox, my cases and the case page say "paused" for a case whose clock is paused (waiting
for the requester) instead of a deadline that looks overdue; the same owner (clocks.paused_now)
decides as for the digest."""

from __future__ import annotations

from datetime import timedelta

from eap.counselling import clocks
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import HelpRequest


def _pause(app, case_id: int, due_hours_ago: int = 5) -> None:
    with app.app_context():
        case = db.session.get(HelpRequest, case_id)
        case.status = "waiting"  # the status listener pauses the clock
        case.response_due_at = utcnow() - timedelta(hours=due_hours_ago)
        db.session.commit()
        assert clocks.is_paused(case)


def test_the_inbox_shows_paused_not_overdue(app, make_case, staff_client):
    client, _me = staff_client("triage")
    paused = make_case(topic="grief")
    overdue = make_case(topic="debt", response_due_at=utcnow() - timedelta(hours=3))
    _pause(app, paused.id)
    page = client.get("/staff/cases/").get_data(as_text=True)
    row = page[page.index(f"/staff/cases/{paused.public_id}/take") - 3000:
               page.index(f"/staff/cases/{paused.public_id}/take")]
    row = row[row.rindex('<tbody class="inbox-case">'):]
    assert "Paused:</strong> waiting for the requester" in row
    assert "Overdue" not in row
    assert "Overdue:</strong> Overdue by 3 h" in page  # the other one still is
    only_overdue = client.get("/staff/cases/?overdue=1").get_data(as_text=True)
    assert overdue.public_id in only_overdue and paused.public_id not in only_overdue


def test_my_cases_and_the_case_page_show_paused(app, make_case, staff_client):
    client, me = staff_client()
    case = make_case(assigned_staff_id=me.id, status="in_progress")
    _pause(app, case.id)
    mine = client.get("/staff/cases/mine").get_data(as_text=True)
    assert "Paused" in mine and "Overdue" not in mine
    page = client.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    assert "Paused:</strong> waiting for the requester" in page and "Overdue" not in page
    with app.app_context():  # the requester answers: the clock runs again
        db.session.get(HelpRequest, case.id).status = "in_progress"
        db.session.commit()
    assert "Overdue" in client.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
