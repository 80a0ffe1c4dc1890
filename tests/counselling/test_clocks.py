"""Clocks that pause: while a case waits for the requester its deadline stands still; the
inbox, the staff's lists and the admin figures count only the time the case was with iGuS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eap.counselling.clocks import CaseClock, working_hours_between
from eap.extensions import db
from eap.models import utcnow
from eap.requests.deadlines import add_working_hours
from eap.requests.models import HelpRequest, ServiceCounter
from tests.conftest import CSRF_RE
from tests.counselling.appointment_helpers import assign_only_case
from tests.counselling.conftest import case_post, load_case
from tests.requests.conftest import NONCE_RE, send_request


def test_working_hours_between_skips_nights_weekends_and_nrw_holidays():
    friday_4pm = datetime(2026, 11, 27, 15, tzinfo=UTC)  # 16:00 in Berlin
    monday_10am = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert working_hours_between(friday_4pm, monday_10am) == 4.0
    # Thursday before Easter 17:00 → Tuesday after Easter 9:00: Good Friday and Easter Monday
    assert working_hours_between(datetime(2026, 4, 2, 15, tzinfo=UTC),
                                 datetime(2026, 4, 7, 7, tzinfo=UTC)) == 2.0
    assert working_hours_between(monday_10am, friday_4pm) == 0.0


def _answer(client, public_id: str, text: str):
    url = f"/help/requests/{public_id}"
    page = client.get(url).get_data(as_text=True)
    return client.post(url + "/reply", data={
        "csrf_token": CSRF_RE.search(page).group(1), "nonce": NONCE_RE.search(page).group(1),
        "body": text})


def _pause_since(app, public_id: str, since: datetime, due: datetime | None = None) -> None:
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
        db.session.get(CaseClock, case.id).paused_at = since
        if due is not None:
            db.session.execute(sa.update(HelpRequest).where(HelpRequest.id == case.id)
                               .values(response_due_at=due))
        db.session.commit()


def test_the_deadline_stands_still_while_the_case_waits(app, client, signed_up, staff_client):
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    case = load_case(app, public_id)
    assert case_post(staff, case, "status", {"status": "waiting"}).status_code in (302, 303)
    mine = staff.get("/staff/cases/mine").get_data(as_text=True)
    assert "Waiting for requester" in mine
    paused_since = utcnow() - timedelta(days=7)
    _pause_since(app, public_id, paused_since)
    due_before = load_case(app, public_id).response_due_at

    assert _answer(client, public_id, "Hier meine Antwort.").status_code == 302
    resumed = utcnow()
    after = load_case(app, public_id)
    assert after.status == "in_progress"
    expected = add_working_hours(due_before, working_hours_between(paused_since, resumed))
    assert abs(after.response_due_at - expected) < timedelta(minutes=1)
    assert after.response_due_at - due_before >= timedelta(days=6)  # ~50 working hours
    with app.app_context():
        clock = db.session.get(CaseClock, after.id)
        assert clock.paused_at is None and clock.paused_hours >= 40


def test_the_admin_figures_count_a_first_response_after_a_pause_as_on_time(
    app, client, signed_up, staff_client
):
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    case = load_case(app, public_id)
    assert case_post(staff, case, "status", {"status": "waiting"}).status_code in (302, 303)
    # the promise ran out an hour ago, but the case waited for the requester for two weeks
    _pause_since(app, public_id, utcnow() - timedelta(days=14), due=utcnow() - timedelta(hours=1))
    assert _answer(client, public_id, "Entschuldigung, ich war krank.").status_code == 302
    case = load_case(app, public_id)
    assert case.response_due_at > utcnow()
    answer = case_post(staff, case, "reply", {"body": "Danke, ich melde mich."})
    assert answer.status_code in (302, 303)
    with app.app_context():
        cells = dict(db.session.execute(
            sa.select(ServiceCounter.value, ServiceCounter.count)
            .where(ServiceCounter.dimension == "first_response")).all())
    assert cells == {"on_time": 1}


def test_without_a_pause_a_late_answer_stays_late(app, client, signed_up, staff_client):
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    with app.app_context():
        db.session.execute(sa.update(HelpRequest).values(
            response_due_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    case_post(staff, load_case(app, public_id), "reply", {"body": "Spät, aber da."})
    with app.app_context():
        cells = dict(db.session.execute(
            sa.select(ServiceCounter.value, ServiceCounter.count)
            .where(ServiceCounter.dimension == "first_response")).all())
    assert cells == {"late": 1}
