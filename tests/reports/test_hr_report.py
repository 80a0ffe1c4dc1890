"""The employer's report page and its CSV."""

from __future__ import annotations

import re

import pytest

from eap.reports import periods
from tests.conftest import login_hr
from tests.reports.conftest import add_requests, in_quarter, last_quarter
from tests.reports.pages import csv_of, page_tables


def main_of(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


@pytest.fixture
def busy_org(app, reporting_org):
    organisation, owner, code = reporting_org
    quarter = last_quarter()
    add_requests(app, organisation, 12, at=in_quarter(quarter), code=code)
    add_requests(app, organisation, 8, at=in_quarter(quarter), code=code, area="social",
                 topic="debt", contact="phone")
    add_requests(app, organisation, 3, at=in_quarter(quarter), code=code, area="medical",
                 requester_type="child", topic="illness")
    add_requests(app, organisation, 9, at=in_quarter(periods.year_before(quarter)), code=code)
    return organisation, owner, code


def test_the_report_shows_a_quarter_with_charts_tables_and_comparison(english, busy_org):
    _organisation, owner, _code = busy_org
    login_hr(english, owner)
    html = english.get("/hr/reports/").get_data(as_text=True)
    quarter = last_quarter()
    assert f'<option value="{quarter}" selected>' in html
    assert "<svg" in html and 'role="img"' in html
    tables = {t["caption"]: t["rows"] for t in page_tables(html)}
    assert tables["All requests"][1] == ["Total", "23", "9"]
    # 23 requests in a quarter, 200 seats: 23 × 4 × 100 / 200 = 46 per 100 seats per year
    assert tables["All requests"][2] == ["Requests per 100 seats per year", "46.0", "–"]
    area = {row[0]: row[1:] for row in tables["Area"][1:]}
    assert area["Psychological"][0] == "12"
    assert area["Social"][0] == "hidden"  # the complement of the 3 medical requests
    assert area["Medical"][0] == "< 5"
    kinds = {row[0]: row[1] for row in tables["Requester type"][1:]}
    assert kinds == {"Employees": "hidden", "Dependants": "< 5"}
    assert "Site code" not in tables  # one code only


def test_no_inline_style_or_script(english, busy_org):
    login_hr(english, busy_org[1])
    html = english.get("/hr/reports/").get_data(as_text=True)
    assert not re.search(r"\sstyle=", html)
    assert "<script" not in html


def test_the_csv_holds_exactly_the_cells_of_the_page(english, busy_org):
    login_hr(english, busy_org[1])
    html = english.get(f"/hr/reports/?quarter={last_quarter()}").get_data(as_text=True)
    response = english.get(f"/hr/reports/export.csv?quarter={last_quarter()}")
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = csv_of(response)
    page = [[t["caption"], *row] for t in page_tables(html) for row in t["rows"][1:]]
    assert rows[1:] == page
    assert rows[0][2:] == [last_quarter(), periods.year_before(last_quarter())]


def test_fewer_than_five_requests_show_only_the_notice(app, english, reporting_org):
    organisation, owner, code = reporting_org
    add_requests(app, organisation, 4, at=in_quarter(last_quarter()), code=code)
    login_hr(english, owner)
    html = english.get("/hr/reports/").get_data(as_text=True)
    assert "Not enough requests to report anonymously." in html
    assert "<table" not in html and "<svg" not in html
    rows = csv_of(english.get("/hr/reports/export.csv"))
    assert rows == [["Quarter", last_quarter()], ["Not enough requests to report anonymously."]]


def test_only_ended_quarters_and_a_view_never_changes(app, english, busy_org):
    """The running quarter is never offered, so two looks at a quarter cannot be subtracted."""
    organisation, owner, code = busy_org
    login_hr(english, owner)
    running = periods.current_quarter()
    first = main_of(english.get("/hr/reports/"))
    assert f'value="{running}"' not in first
    assert main_of(english.get(f"/hr/reports/?quarter={running}")) == first
    add_requests(app, organisation, 6, code=code, area="medical")  # happens now
    assert main_of(english.get("/hr/reports/")) == first


def test_a_garbled_quarter_falls_back_to_the_last_ended_one(english, busy_org):
    login_hr(english, busy_org[1])
    html = english.get("/hr/reports/?quarter=2026Q9'%3E").get_data(as_text=True)
    assert f'<option value="{last_quarter()}" selected>' in html


def test_sites_are_shown_where_the_organisation_has_several_codes(
    app, english, reporting_org, make_access_code, monkeypatch
):
    organisation, owner, primary = reporting_org
    extra, _plain = make_access_code(organisation, label="=Werk Nord", primary=False)
    quarter = periods.current_quarter()  # codes are new: report the running quarter later
    add_requests(app, organisation, 9, code=primary)
    add_requests(app, organisation, 7, code=extra)
    login_hr(english, owner)
    # look at the running quarter as if it had ended
    monkeypatch.setattr(periods, "last_completed_quarter", lambda now=None: quarter)
    html = english.get("/hr/reports/").get_data(as_text=True)
    rows = csv_of(english.get("/hr/reports/export.csv"))
    sites = {t["caption"]: t["rows"] for t in page_tables(html)}["Site code"]
    assert {row[0]: row[1] for row in sites[1:]} == {"Main code": "9", "=Werk Nord": "7"}
    assert ["Site code", "'=Werk Nord", "7", "–"] in rows  # no formula in a spreadsheet
