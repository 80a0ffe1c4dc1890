"""Stored releases: drawn once per period by the cron command or the first view, with the
library's ε per person at most 1 per quarter and 4 per calendar year, on a fixed layout."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa

from eap.employers.models import AccessCode
from eap.extensions import db
from eap.reports import layout, periods, release
from tests.conftest import login_hr
from tests.reports.conftest import add_requests, in_quarter, last_quarter, releases
from tests.reports.pages import page_tables


def last_year() -> str:
    return str(int(periods.current_quarter()[:4]) - 1)


def test_close_quarter_stores_every_release_once(app, reporting_org, english):
    organisation, owner, code = reporting_org
    add_requests(app, organisation, 20, at=in_quarter(last_quarter()), code=code)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["close-quarter"])
    assert result.exit_code == 0, result.output
    assert "1 release(s) drawn" in result.output
    stored = releases(app, organisation.id)
    assert [(kind, period) for kind, period, _c, _e in stored] == [("quarter", last_quarter())]
    assert "0 release(s) drawn" in runner.invoke(args=["close-quarter"]).output
    assert releases(app, organisation.id) == stored
    # the page shows the stored numbers
    login_hr(english, owner)
    html = english.get("/hr/reports/").get_data(as_text=True)
    area = {t["caption"]: t["rows"] for t in page_tables(html)}["Area"]
    values = stored[0][2]["series"][0]["values"]
    assert [row[1] for row in area[1:]] == [str(max(0, v)) for v in values]


def test_close_quarter_refuses_a_running_quarter(app):
    result = app.test_cli_runner().invoke(
        args=["close-quarter", "--quarter", periods.current_quarter()])
    assert result.exit_code != 0 and "has not ended" in result.output


def test_the_privacy_loss_per_quarter_and_per_year(app, reporting_org):
    """Everything HR can see of a person's year: four quarters and the year's breakdowns."""
    organisation, _owner, code = reporting_org
    year = last_year()
    for number in range(1, 5):
        add_requests(app, organisation, 12, at=in_quarter(f"{year}Q{number}"), code=code)
    runner = app.test_cli_runner()
    for number in range(1, 5):
        assert runner.invoke(args=["close-quarter", "--quarter", f"{year}Q{number}"]).exit_code == 0
    per_quarter, per_year = defaultdict(float), defaultdict(float)
    for kind, period, _cells, epsilon in releases(app, organisation.id):
        assert epsilon > 0
        if kind == "quarter":
            per_quarter[period] += epsilon
        per_year[period[:4]] += epsilon
    assert len(per_quarter) == 4 and max(per_quarter.values()) <= 1
    assert per_year[year] <= 4
    kinds = [kind for kind, *_rest in releases(app, organisation.id)]
    assert kinds.count("year") == 1


def test_the_library_accounts_the_budget():
    assert release.measurement(1, release.QUARTER_EPSILON).map(1) == release.QUARTER_EPSILON
    # four breakdowns in one vector: one person moves it by at most 4
    assert release.measurement(4, release.YEAR_EPSILON).map(4) <= release.YEAR_EPSILON + 1e-9


def _layout(html: str) -> list:
    return [(t["caption"], [row[0] for row in t["rows"]]) for t in page_tables(html)]


def test_rows_do_not_depend_on_the_counts(app, english, reporting_org, make_organisation,
                                          make_contract, make_hr_user):
    organisation, owner, code = reporting_org
    add_requests(app, organisation, 40, at=in_quarter(last_quarter()), code=code,
                 area="medical", topic="debt", contact="video", requester_type="child")
    quiet = make_organisation()
    make_contract(organisation=quiet, seats=200,
                  created_at=periods.quarter_start(periods.shift_quarter(last_quarter(), -8)))
    login_hr(english, owner)
    busy_html = english.get("/hr/reports/").get_data(as_text=True)
    english.post("/hr/logout")
    login_hr(english, make_hr_user(organisation=quiet))
    quiet_html = english.get("/hr/reports/").get_data(as_text=True)
    assert _layout(busy_html) == _layout(quiet_html)
    assert [caption for caption, _rows in _layout(quiet_html)] == [
        "All requests", "Area", f"Topic group, year {last_year()}",
        f"Requester type, year {last_year()}", f"Contact channel, year {last_year()}",
        f"Extra sessions requested, year {last_year()}"]


def _code(app, organisation, label, seats, created, revoked=None):
    from eap.employers import access_codes
    from eap.employers.models import Organisation

    with app.app_context():
        code = access_codes.add_extra(db.session.get(Organisation, organisation.id), label, seats)
        code.created_at, code.revoked_at = created, revoked
        code.active = revoked is None
        db.session.commit()
        db.session.refresh(code)
        db.session.expunge(code)
        return code


def test_sites_get_rows_only_when_two_declare_fifty_seats(app, reporting_org):
    organisation, _owner, primary = reporting_org  # 200 seats in the contract
    year = last_year()
    start = periods.quarter_start(f"{year}Q1")
    before = start - timedelta(days=30)
    with app.app_context():
        db.session.execute(sa.update(AccessCode).values(created_at=before))
        db.session.commit()
    north = _code(app, organisation, "Werk Nord", 60, before)
    _code(app, organisation, "Büro", 10, before)
    late = _code(app, organisation, "Werk Süd", 80, start + timedelta(days=3))
    with app.app_context():
        rows, labels, _site_of = layout.sites(organisation.id, start, 200)
        # main site: 200 - 60 - 10 = 130 seats; Werk Süd did not exist when the year started
        assert rows == [layout.MAIN, f"code{north.id}", layout.OTHER_SITES]
        assert labels == {f"code{north.id}": "Werk Nord"}
        assert layout.sites(organisation.id, start, 100)[0] == []  # main site 30: one site only
    add_requests(app, organisation, 5, at=in_quarter(f"{year}Q2"), code=late)
    add_requests(app, organisation, 3, at=in_quarter(f"{year}Q2"), code=north)
    with app.app_context():
        plan = layout.year_layout(organisation.id, int(year), 200)
        counts = release.true_counts(organisation.id, release.YEAR, year, plan)
        # the late code's requests count under "other sites": no row appears for them
        assert counts["site"] == [0, 3, 5]


def test_a_withdrawn_code_keeps_counting_under_its_site(app, reporting_org):
    organisation, _owner, _primary = reporting_org
    year = last_year()
    before = periods.quarter_start(f"{year}Q1") - timedelta(days=30)
    with app.app_context():
        db.session.execute(sa.update(AccessCode).values(created_at=before))
        db.session.commit()
    withdrawn = _code(app, organisation, "Pilot", 60, before,
                      revoked=periods.quarter_start(f"{year}Q1") - timedelta(days=1))
    add_requests(app, organisation, 2, at=in_quarter(f"{year}Q3"), code=withdrawn)
    with app.app_context():
        plan = layout.year_layout(organisation.id, int(year), 200)
        assert "site" not in plan.rows  # withdrawn before the year: not a site of that year
        counts = release.true_counts(organisation.id, release.YEAR, year, plan)
        assert sum(counts["requester_type"]) == 2
