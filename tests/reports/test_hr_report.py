"""The employer's report page and its CSV: stored releases, a fixed layout, ended quarters."""

from __future__ import annotations

import re

import pytest

from eap.reports import periods
from tests.conftest import login_hr
from tests.reports.conftest import add_requests, in_quarter, last_quarter, releases
from tests.reports.pages import csv_of, page_tables


def main_of(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def tables(html: str) -> dict[str, list[list[str]]]:
    return {t["caption"]: t["rows"] for t in page_tables(html)}


@pytest.fixture
def busy_org(app, reporting_org):
    organisation, owner, code = reporting_org
    quarter = last_quarter()
    add_requests(app, organisation, 30, at=in_quarter(quarter), code=code)
    add_requests(app, organisation, 12, at=in_quarter(quarter), code=code, area="social",
                 topic="debt", contact="phone")
    add_requests(app, organisation, 8, at=in_quarter(quarter), code=code, area="medical",
                 requester_type="child", topic="illness")
    add_requests(app, organisation, 9, at=in_quarter(periods.year_before(quarter)), code=code)
    return organisation, owner, code


def test_the_report_shows_noisy_counts_near_the_truth(english, busy_org):
    _organisation, owner, _code = busy_org
    login_hr(english, owner)
    html = english.get("/hr/reports/").get_data(as_text=True)
    quarter = last_quarter()
    assert f'<option value="{quarter}" selected>' in html
    found = tables(html)
    header, first, so_far, per_seats = found["All requests"]
    assert header == ["Category", quarter, "90 % range", periods.year_before(quarter),
                      "90 % range"]
    assert first[0] == "People who asked for the first time this year"
    # discrete Laplace, scale 2 (ε 0.5): more than 25 off has a chance below 1e-5
    total = int(first[1])
    assert abs(total - 50) <= 25
    low, high = (int(end) for end in first[2].split("–"))
    assert (low, high) == (max(total - 5, 0), total + 5)  # ±5: the library's 90 % accuracy
    assert so_far[0] == "People helped this year up to this quarter"
    assert per_seats[0] == "People helped this year per 100 seats"
    assert "If the ranges of two numbers overlap, the difference between them means nothing" \
        in html
    assert "Privacy loss (ε) per person and calendar year: 0.5 for the quarterly figures" in html
    assert "at most 1 in all" in html


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
    quarter, before = last_quarter(), periods.year_before(last_quarter())
    assert rows[0][2:] == [quarter, f"90 % range, {quarter}", before, f"90 % range, {before}"]


def test_a_quarter_is_drawn_once_and_never_again(app, english, busy_org):
    """Repeated views cannot average the noise away: page, reloads and CSV read one release."""
    organisation, owner, code = busy_org
    login_hr(english, owner)
    first = main_of(english.get("/hr/reports/"))
    stored = releases(app, organisation.id)
    for _ in range(5):
        assert main_of(english.get("/hr/reports/")) == first
    english.get("/hr/reports/export.csv")
    add_requests(app, organisation, 6, at=in_quarter(last_quarter()), code=code)  # late data
    assert main_of(english.get("/hr/reports/")) == first
    assert releases(app, organisation.id) == stored


def test_only_ended_quarters_are_offered(app, english, busy_org):
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


def test_the_quarters_offered_start_at_the_contract_start(
    app, english, make_organisation, make_contract, make_hr_user, make_access_code
):
    """Not at the first request: the list itself must not say whether and when anyone asked."""
    start = periods.shift_quarter(last_quarter(), -2)
    organisation = make_organisation()
    make_contract(organisation=organisation, created_at=periods.quarter_start(start))
    code, _plain = make_access_code(organisation)
    owner = make_hr_user(organisation=organisation)
    login_hr(english, owner)
    quiet = english.get("/hr/reports/").get_data(as_text=True)
    offered = re.findall(r'<option value="(\d{4}Q\d)"', quiet)
    assert offered == [last_quarter(), periods.shift_quarter(last_quarter(), -1), start]
    add_requests(app, organisation, 1, at=in_quarter(periods.shift_quarter(start, -4)),
                 code=code)
    add_requests(app, organisation, 1, at=in_quarter(start), code=code)
    after = english.get("/hr/reports/").get_data(as_text=True)
    assert re.findall(r'<option value="(\d{4}Q\d)"', after) == offered


def test_a_contract_without_an_ended_quarter_shows_a_notice(
    english, make_organisation, make_contract, make_hr_user
):
    organisation = make_organisation()
    make_contract(organisation=organisation)  # starts now
    login_hr(english, make_hr_user(organisation=organisation))
    html = english.get("/hr/reports/").get_data(as_text=True)
    assert "No quarter of your contract has ended yet." in html
    assert "<option" not in html
    # before the first real report: the sample, marked as such (tests/reports/test_sample.py)
    assert 'data-testid="sample-report"' in html
    assert csv_of(english.get("/hr/reports/export.csv")) == [
        ["No quarter of your contract has ended yet."]]
