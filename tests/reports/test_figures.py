"""The iGuS service figures: counters, caseloads, utilisation and revenue, page and CSV."""

from __future__ import annotations

import re

import pytest

from eap.extensions import db
from eap.reports import periods
from eap.requests import counters
from eap.requests.models import HelpRequest
from tests.conftest import login_staff, post_form
from tests.reports.conftest import add_requests, in_quarter, last_quarter
from tests.reports.pages import csv_of, page_tables
from tests.requests.conftest import sign_up


@pytest.fixture
def figures_data(app, make_organisation, make_contract, make_package, make_staff):
    package = make_package(name_en="Plus", price_month_cents=400, price_year_cents=4300)
    busy = make_organisation(name="Busy GmbH")
    quiet = make_organisation(name="Quiet e.V.")
    make_contract(organisation=busy, package=package, seats=50)
    make_contract(organisation=quiet, package=package, seats=200, interval="year")
    make_contract(organisation=make_organisation(name="Gone AG"), package=package,
                  status="ended")
    counsellor = make_staff(name="Clara Counsellor", yearly_capacity=150)
    make_staff(name="Triage Tom", role="triage")
    ids = add_requests(app, busy, 6, area="medical")
    add_requests(app, busy, 4, at=in_quarter(last_quarter()))
    add_requests(app, quiet, 2, area="social")
    with app.app_context():
        for number, case_id in enumerate(ids):
            case = db.session.get(HelpRequest, case_id)
            case.assigned_staff_id = counsellor.id
            if number < 4:
                counters.record_first_response(case, on_time=number < 3)
        db.session.commit()
    return counsellor


def tables_of(html: str) -> dict[str, list[list[str]]]:
    return {t["caption"]: t["rows"] for t in page_tables(html)}


def test_the_figures(english, make_staff, figures_data):
    login_staff(english, make_staff(role="admin"))
    html = english.get("/staff/figures/").get_data(as_text=True)
    assert html.count("<svg") == 5 and not re.search(r"\sstyle=", html)
    tables = tables_of(html)
    month = periods.last_months(1)[0]
    requests = {row[0]: row[1:] for row in tables["Requests per month and area"][1:]}
    assert requests[month] == ["6", "0", "2", "8"]  # medical, psychological, social, total
    assert len(requests) == 2  # months without any request are left out
    on_time = {row[0]: row[1:] for row in tables["First response within the promised time"][1:]}
    assert on_time[month] == ["4", "3", "75.0 %"]
    loads = {row[0]: row[1:] for row in tables["Cases per counsellor"][1:]}
    assert loads["Clara Counsellor"] == ["6", "4", "150", "2.7 %"]
    assert loads["Triage Tom"][:2] == ["0", "0"]
    use = {row[0]: row[1:] for row in tables["Utilisation per organisation"][1:]}
    # 4 requests in the last four ended quarters, 50 seats: 8 per 100 seats per year
    assert use["Busy GmbH"] == ["50", "4", "8.0", "€200.00"]
    assert use["Quiet e.V."] == ["200", "0", "0.0", "€716.67"]
    assert "Gone AG" not in use
    mrr = {row[0]: row[1] for row in tables["Monthly recurring revenue"][1:]}
    assert mrr == {"Plus": "€916.67", "Total": "€916.67"}


def test_the_figures_csv_holds_the_page_cells(english, make_staff, figures_data):
    login_staff(english, make_staff(role="admin"))
    html = english.get("/staff/figures/").get_data(as_text=True)
    rows = csv_of(english.get("/staff/figures/export.csv"))
    page = [[t["caption"], *row] for t in page_tables(html) for row in t["rows"]
            if row != ["No data yet."]]  # an empty table's placeholder row
    assert rows == page


def test_the_figures_survive_purged_cases(app, english, make_staff, figures_data):
    login_staff(english, make_staff(role="admin"))
    before = tables_of(english.get("/staff/figures/").get_data(as_text=True))
    with app.app_context():
        db.session.query(HelpRequest).filter(HelpRequest.assigned_staff_id.is_(None)).delete()
        db.session.commit()
    after = tables_of(english.get("/staff/figures/").get_data(as_text=True))
    for caption in ("Requests per month and area", "First response within the promised time",
                    "Utilisation per organisation", "Monthly recurring revenue"):
        assert after[caption] == before[caption]


def test_accounts_erased_soon_after_sign_up_show_as_a_signal(
    app, english, make_staff, make_organisation, make_contract, make_access_code
):
    """HR padding a code with its own accounts and erasing them shows up as counts only."""
    organisation = make_organisation(name="Padding GmbH")
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    for _ in range(3):
        client = app.test_client()
        sign_up(client, plain)
        assert post_form(client, "/help/account/delete", {"understood": "y"}).status_code == 302
    login_staff(english, make_staff(role="admin"))
    html = english.get("/staff/figures/").get_data(as_text=True)
    rows = tables_of(html)["Accounts erased soon after sign-up"]
    assert rows[1:] == [["Padding GmbH", "3"]]


def test_the_figures_never_break_an_organisation_down_by_topic(english, make_staff,
                                                               reporting_org, app):
    organisation, _owner, code = reporting_org
    add_requests(app, organisation, 3, at=in_quarter(last_quarter()), code=code, topic="debt")
    login_staff(english, make_staff(role="admin"))
    html = english.get("/staff/figures/").get_data(as_text=True)
    for topic in ("Debt and money", "debt", "Money, law and residence"):
        assert topic not in html


def test_compact_figures_page(app, figures_data, make_staff):
    """Tables sit behind <details>; the capacity chart shows counsellors only; months without
    a request are left out of the requests chart (no rows of zero bars)."""
    admin = make_staff(role="admin")
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    login_staff(client, admin)
    html = client.get("/staff/figures/").get_data(as_text=True)
    assert html.count('<details class="figures-table">') == 8  # with bursts, follow-ups
    chart = re.search(r'aria-labelledby="chart-caseloads-title".*?</svg>', html, re.S).group(0)
    assert "Clara Counsellor" in chart and "Triage Tom" not in chart
    requests_chart = re.search(r'aria-labelledby="chart-requests-title".*?</svg>', html,
                               re.S).group(0)
    assert requests_chart.count("<rect") == 2  # one bar for each of the two busy months
    assert "Months without requests are left out." in html
