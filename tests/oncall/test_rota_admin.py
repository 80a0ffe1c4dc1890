"""Administrators keep the on-call rota (/staff/admin/oncall/): add a window in Berlin time,
list what is coming, delete one. Bad input gets a clear message and keeps what was typed."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from eap.extensions import db
from eap.oncall.models import OnCallWindow
from eap.security.audit import AuditEntry
from tests.conftest import CSRF_RE

URL = "/staff/admin/oncall/"


def _post(client, **data):
    token = CSRF_RE.search(client.get(URL).get_data(as_text=True)).group(1)
    return client.post(URL, data={"csrf_token": token, **data})


def _windows(app):
    with app.app_context():
        return db.session.execute(sa.select(
            OnCallWindow.staff_id, OnCallWindow.starts_at, OnCallWindow.ends_at)).all()


def test_the_admin_navigation_links_the_rota(admin_client):
    client, _admin = admin_client
    assert 'href="/staff/admin/oncall/"' in client.get("/staff/admin/").get_data(as_text=True)
    page = client.get(URL).get_data(as_text=True)
    assert "On-call rota" in page and "No on-call windows are planned." in page


def test_add_list_and_delete_a_window(app, admin_client, make_staff):
    client, admin = admin_client
    member = make_staff(role="triage", name="Tina Triage")
    make_staff(role="admin", name="Not Oncallable")
    page = client.get(URL).get_data(as_text=True)
    assert "Tina Triage" in page and "Not Oncallable" not in page  # only triage, counsellors
    answer = _post(client, staff_id=member.id, starts="2027-12-24T18:00", ends="2027-12-27T08:00")
    assert answer.status_code == 303
    # Berlin time in, UTC stored (winter: UTC+1)
    assert _windows(app) == [(member.id, datetime(2027, 12, 24, 17, tzinfo=UTC),
                              datetime(2027, 12, 27, 7, tzinfo=UTC))]
    page = client.get(URL).get_data(as_text=True)
    assert "The on-call window is saved." in page
    assert "24.12.2027 18:00" in page and "27.12.2027 08:00" in page and "Planned" in page
    with app.app_context():
        window_id = db.session.scalar(sa.select(OnCallWindow.id))
        assert db.session.scalar(sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "oncall_window")) == "oncall.window_added"
    token = CSRF_RE.search(page).group(1)
    answer = client.post(f"{URL}{window_id}/delete", data={"csrf_token": token})
    assert answer.status_code == 303
    assert _windows(app) == []
    assert "The on-call window is deleted." in client.get(URL).get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "oncall_window")))
    assert actions == {"oncall.window_added", "oncall.window_deleted"}


def test_end_before_start_keeps_what_was_typed(app, admin_client, make_staff):
    client, _admin = admin_client
    member = make_staff(role="counsellor")
    answer = _post(client, staff_id=member.id, starts="2027-12-24T18:00", ends="2027-12-24T08:00")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "The end must be after the start." in page
    assert 'value="2027-12-24T18:00"' in page and 'value="2027-12-24T08:00"' in page
    assert f'<option selected value="{member.id}">' in page
    assert _windows(app) == []


def test_overlap_for_the_same_person_is_refused_others_may_overlap(app, admin_client,
                                                                    make_staff):
    client, _admin = admin_client
    anna, ben = make_staff(role="counsellor"), make_staff(role="triage")
    assert _post(client, staff_id=anna.id, starts="2027-12-24T18:00",
                 ends="2027-12-25T08:00").status_code == 303
    answer = _post(client, staff_id=anna.id, starts="2027-12-25T07:00", ends="2027-12-25T20:00")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "This person already has an on-call window in this time." in page
    assert 'value="2027-12-25T07:00"' in page and 'value="2027-12-25T20:00"' in page
    # back to back is no overlap; another person at the same time is fine
    assert _post(client, staff_id=anna.id, starts="2027-12-25T08:00",
                 ends="2027-12-25T20:00").status_code == 303
    assert _post(client, staff_id=ben.id, starts="2027-12-24T18:00",
                 ends="2027-12-25T08:00").status_code == 303
    assert len(_windows(app)) == 3


def test_unknown_or_unfit_staff_and_unreadable_times(app, admin_client, make_staff):
    client, admin = admin_client
    inactive = make_staff(role="counsellor", active=False)
    for staff_id in ("99999", "", "x", str(admin.id), str(inactive.id)):
        answer = _post(client, staff_id=staff_id, starts="2027-12-24T18:00",
                       ends="2027-12-25T08:00")
        page = answer.get_data(as_text=True)
        assert answer.status_code == 400, staff_id
        assert "Choose an active triage staff member or counsellor." in page
        assert 'value="2027-12-24T18:00"' in page
    member = make_staff(role="counsellor")
    answer = _post(client, staff_id=member.id, starts="Heiligabend", ends="")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'value="Heiligabend"' in page and "Enter the end, e.g. 2026-12-27 08:00." in page
    assert _windows(app) == []


def test_past_windows_are_not_listed(app, admin_client, make_window):
    client, _admin = admin_client
    make_window(around=datetime(2020, 1, 1, 20, tzinfo=UTC))
    assert "No on-call windows are planned." in client.get(URL).get_data(as_text=True)


def test_windows_ended_long_ago_go_with_their_notices(app, make_window):
    from datetime import timedelta

    import sqlalchemy as sa

    from eap.extensions import db
    from eap.models import utcnow
    from eap.oncall.models import OnCallNotice, OnCallWindow

    old = make_window(around=utcnow() - timedelta(days=120))
    recent = make_window(around=utcnow() - timedelta(days=2))
    with app.app_context():
        db.session.add_all([OnCallNotice(window_id=old.id, kind="request", ref="r-old"),
                            OnCallNotice(window_id=recent.id, kind="request", ref="r-new")])
        db.session.commit()
    output = app.test_cli_runner().invoke(args=["purge-audit-log"]).output
    assert "On-call windows ended over 90 days ago removed: 1" in output
    with app.app_context():
        assert db.session.scalars(sa.select(OnCallWindow.id)).all() == [recent.id]
        assert db.session.scalars(sa.select(OnCallNotice.ref)).all() == ["r-new"]
