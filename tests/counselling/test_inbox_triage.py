"""The inbox for triage: a short preview of each request (triage and admins only, audited,
never cached) and assigning a counsellor straight from the inbox row."""

from __future__ import annotations

from eap.counselling.display import shorten
from tests.conftest import CSRF_RE
from tests.counselling.conftest import DESCRIPTION, load_case

LONG = "Seit dem Umzug " + "kann ich kaum schlafen und " * 10 + "GEHEIMES_ENDE"


def test_triage_sees_a_short_preview_and_the_read_is_audited(app, make_case, staff_client,
                                                             audit_actions):
    client, me = staff_client("triage")
    short, long = make_case(), make_case(description=LONG)
    answer = client.get("/staff/cases/")
    page = answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"
    assert DESCRIPTION in page
    assert "Seit dem Umzug kann ich kaum schlafen" in page
    assert "GEHEIMES_ENDE" not in page  # only the first ~120 characters
    assert len(shorten(LONG)) <= 122
    for case in (short, long):
        assert (me.id, "case.preview", "help_request", case.public_id) in audit_actions(
            case.public_id)


def test_counsellors_see_no_preview(app, make_case, staff_client, audit_actions):
    client, _me = staff_client("counsellor")
    case = make_case()
    page = client.get("/staff/cases/").get_data(as_text=True)
    assert f"/staff/cases/{case.public_id}/take" in page
    assert DESCRIPTION not in page
    assert 'name="assign-staff_id"' not in page
    assert audit_actions(case.public_id) == []


def test_assign_from_the_inbox_row(app, make_case, staff_client, make_staff):
    client, _me = staff_client("triage")
    counsellor = make_staff(role="counsellor", name="Anna Beraterin")
    case = make_case()
    page = client.get("/staff/cases/").get_data(as_text=True)
    assert f'<option value="{counsellor.id}">Anna Beraterin</option>' in page
    answer = client.post(f"/staff/cases/{case.public_id}/assign", data={
        "csrf_token": CSRF_RE.search(page).group(1), "assign-version": case.version,
        "assign-staff_id": counsellor.id,
    })
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/staff/cases/")
    assert load_case(app, case.public_id).assigned_staff_id == counsellor.id
    # A stale row (the case changed since the inbox was shown) is refused, not applied.
    other = make_case()
    client.post(f"/staff/cases/{other.public_id}/take",
                data={"csrf_token": CSRF_RE.search(page).group(1)})
    stale = client.post(f"/staff/cases/{other.public_id}/assign", data={
        "csrf_token": CSRF_RE.search(page).group(1), "assign-version": other.version,
        "assign-staff_id": counsellor.id,
    })
    assert stale.status_code == 409
    assert load_case(app, other.public_id).assigned_staff_id != counsellor.id
