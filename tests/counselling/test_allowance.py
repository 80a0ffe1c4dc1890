"""The session allowance: the package's number per request and year, sessions recorded by the
counsellor, what the requester sees, and "ask for more" counted anonymously."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eap.counselling import allowance
from eap.counselling.appointment_models import CaseSession
from eap.extensions import db
from eap.requests.models import HelpRequest, UsageCounter
from tests.conftest import CSRF_RE, post_form
from tests.counselling.appointment_helpers import assign_only_case
from tests.requests.conftest import send_request


def _set_allowance(app, sessions: int) -> None:
    with app.app_context():
        from eap.billing.models import Contract
        from eap.packages.models import ServicePackage

        for package_id in db.session.scalars(sa.select(Contract.package_id)):
            db.session.get(ServicePackage, package_id).sessions_per_issue = sessions
        db.session.commit()


def _record(staff, public_id: str, day: str = "2026-11-02", modality: str = "video"):
    page = staff.get(f"/staff/cases/{public_id}").get_data(as_text=True)
    return staff.post(f"/staff/appointments/case/{public_id}/session", data={
        "csrf_token": CSRF_RE.search(page).group(1), "session-held_on": day,
        "session-modality": modality})


def _extra_requests(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(UsageCounter.count), 0))
                                 .where(UsageCounter.dimension == "extra_sessions"))


def test_sessions_count_down_and_asking_for_more_is_counted_once_anonymously(
    app, client, signed_up, staff_client
):
    _set_allowance(app, 2)
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    url = f"/help/requests/{public_id}/appointment"
    assert "2 of 2" in client.get(url).get_data(as_text=True)
    # before the limit there is nothing to ask for
    assert post_form(client, f"/help/requests/{public_id}/sessions/more", {},
                     from_url=url).status_code == 303
    assert _extra_requests(app) == 0

    today = allowance._today().isoformat()
    assert _record(staff, public_id, today).status_code == 303
    assert "1 of 2" in client.get(url).get_data(as_text=True)
    assert _record(staff, public_id, today, "phone").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "0 of 2" in page and "Ask for more sessions" in page
    assert "Sessions this year: 2 of 2." in staff.get(f"/staff/cases/{public_id}").get_data(
        as_text=True)

    for _ in range(2):
        assert post_form(client, f"/help/requests/{public_id}/sessions/more", {},
                         from_url=url).status_code == 303
    assert _extra_requests(app) == 1
    assert "You have asked for more sessions" in client.get(url).get_data(as_text=True)
    staff_page = staff.get(f"/staff/cases/{public_id}").get_data(as_text=True)
    assert "The requester asked for more sessions" in staff_page
    with app.app_context():
        row = db.session.scalar(sa.select(UsageCounter).where(
            UsageCounter.dimension == "extra_sessions"))
        case = db.session.scalar(sa.select(HelpRequest))
        assert (row.organisation_id, row.value) == (case.organisation_id, "requested")


def test_sessions_of_last_year_do_not_count(app, client, signed_up, staff_client):
    _set_allowance(app, 3)
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    last_year = allowance._today().replace(month=6, day=1)
    last_year = last_year.replace(year=last_year.year - 1).isoformat()
    assert _record(staff, public_id, last_year).status_code == 303
    assert "3 of 3" in client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True)


def test_only_a_counsellor_who_may_see_the_case_records_sessions(
    app, client, signed_up, staff_client
):
    assert send_request(client).status_code == 302
    _staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    other, _member = staff_client()
    page = other.get("/staff/appointments/availability").get_data(as_text=True)
    answer = other.post(f"/staff/appointments/case/{public_id}/session", data={
        "csrf_token": CSRF_RE.search(page).group(1), "session-held_on": "2026-11-02",
        "session-modality": "video"})
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CaseSession.id))) == 0


def test_admins_set_the_allowance_and_the_modalities_of_a_package(app, staff_client,
                                                                 make_package):
    from tests.admin.test_packages import find, package_data

    admin, _member = staff_client("admin")
    package = make_package(slug="basis")
    url = f"/staff/admin/packages/{package.id}"
    page = admin.get(url).get_data(as_text=True)
    video_box = re.search(r'<input[^>]*name="modalities"[^>]*value="video"[^>]*>', page)
    assert video_box and "checked" in video_box.group(0)  # the package's modalities, ticked
    answer = post_form(admin, url, package_data(modalities=["phone", "in_person"],
                                                sessions_per_issue="8"))
    assert answer.status_code == 303
    changed = find(app, "basis")
    assert (changed.appointment_modalities, changed.sessions_per_issue) == ("phone,in_person", 8)
