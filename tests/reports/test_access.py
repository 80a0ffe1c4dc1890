"""Who may see which report: owners and managers their own organisation's, admins the figures."""

from __future__ import annotations

import pytest

from tests.conftest import login_hr, login_staff
from tests.reports.conftest import add_requests, in_quarter, last_quarter, long_ago, releases
from tests.reports.pages import page_tables

HR_URLS = ("/hr/reports/", "/hr/reports/export.csv")
STAFF_URLS = ("/staff/figures/", "/staff/figures/export.csv")


@pytest.mark.parametrize("url", HR_URLS + STAFF_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", HR_URLS)
@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("manager", 200), ("billing", 403)])
def test_hr_roles(client, make_hr_user, url, role, status):
    login_hr(client, make_hr_user(role=role))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize(("role", "status"),
                         [("admin", 200), ("counsellor", 403), ("triage", 403)])
def test_staff_roles(client, make_staff, url, role, status):
    login_staff(client, make_staff(role=role))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", STAFF_URLS)
def test_hr_users_never_reach_the_service_figures(client, make_hr_user, url):
    login_hr(client, make_hr_user(role="owner"))
    assert client.get(url).status_code == 403


def _stored_total(app, organisation_id: int) -> str:
    (kind, _period, cells, _eps), *_years = releases(app, organisation_id)
    assert kind == "quarter"
    return str(max(0, sum(cells["series"][0]["values"])))


def test_hr_of_one_organisation_never_sees_another_ones_figures(
    app, english, reporting_org, make_organisation, make_contract, make_hr_user
):
    own, owner, code = reporting_org
    other = make_organisation(name="Andere AG")
    make_contract(organisation=other, seats=100, created_at=long_ago())
    add_requests(app, other, 37, at=in_quarter(last_quarter()), area="medical")
    add_requests(app, own, 6, at=in_quarter(last_quarter()), code=code)
    login_hr(english, owner)
    for query in ("", f"?organisation_id={other.id}", f"?org={other.id}&organisation={other.id}"):
        html = english.get(f"/hr/reports/{query}").get_data(as_text=True)
        totals = {t["caption"]: t["rows"] for t in page_tables(html)}["All requests"]
        assert totals[1][1] == _stored_total(app, own.id)
        assert "Andere AG" not in html
        csv = english.get(f"/hr/reports/export.csv{query}").get_data(as_text=True)
        assert f"People who asked for the first time this year,{_stored_total(app, own.id)}," in csv
    assert releases(app, other.id) == []  # nothing of the other organisation was even drawn
    manager = make_hr_user(organisation=other, role="manager")
    english.post("/hr/logout")
    other_client = app.test_client()
    with other_client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    login_hr(other_client, manager)
    html = other_client.get("/hr/reports/").get_data(as_text=True)
    totals = {t["caption"]: t["rows"] for t in page_tables(html)}["All requests"]
    assert totals[1][1] == _stored_total(app, other.id)


def test_home_pages_link_the_reports_by_role(client, make_hr_user, make_staff, app):
    login_hr(client, make_hr_user(role="manager"))
    assert "/hr/reports/" in client.get("/hr/").get_data(as_text=True)
    billing = app.test_client()
    login_hr(billing, make_hr_user(role="billing"))
    assert "/hr/reports/" not in billing.get("/hr/").get_data(as_text=True)
    admin = app.test_client()
    login_staff(admin, make_staff(role="admin"))
    assert "/staff/figures/" in admin.get("/staff/").get_data(as_text=True)
    counsellor = app.test_client()
    login_staff(counsellor, make_staff(role="counsellor"))
    assert "/staff/figures/" not in counsellor.get("/staff/").get_data(as_text=True)
