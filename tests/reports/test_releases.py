"""Stored releases: drawn once per period by the cron command or the first view, with the
library's ε per person at most 1 per calendar year (issue 27), on a fixed layout whose yearly
breakdowns follow the size class; releases of the earlier design stay readable."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from eap.employers.models import AccessCode
from eap.extensions import db
from eap.reports import budget, layout, periods, release
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
    summary = {t["caption"]: t["rows"] for t in page_tables(html)}["All requests"]
    [value] = stored[0][2]["series"][0]["values"]
    assert summary[1][1] == str(max(0, value))
    assert stored[0][2]["design"] == release.DESIGN and stored[0][2]["scale"] == 2.0


def test_close_quarter_refuses_a_running_quarter(app):
    result = app.test_cli_runner().invoke(
        args=["close-quarter", "--quarter", periods.current_quarter()])
    assert result.exit_code != 0 and "has not ended" in result.output


def test_the_privacy_loss_per_person_and_year_is_at_most_one(app, reporting_org):
    """Everything HR can see of a person's year: one quarter (the one of their first request
    that year; the four quarters hold disjoint people) and the year's breakdowns."""
    organisation, _owner, code = reporting_org
    year = last_year()
    for number in range(1, 5):
        add_requests(app, organisation, 12, at=in_quarter(f"{year}Q{number}"), code=code)
    runner = app.test_cli_runner()
    for number in range(1, 5):
        assert runner.invoke(args=["close-quarter", "--quarter", f"{year}Q{number}"]).exit_code == 0
    quarters, years = {}, {}
    for kind, period, cells, epsilon in releases(app, organisation.id):
        assert cells["design"] == release.DESIGN
        (quarters if kind == "quarter" else years)[period] = epsilon
    assert sorted(quarters) == [f"{year}Q{n}" for n in range(1, 5)] and list(years) == [year]
    # parallel composition: a person is in one of the four quarter releases
    assert max(quarters.values()) + years[year] <= budget.YEARLY_BUDGET + 1e-9
    assert all(abs(e - budget.QUARTER_EPSILON) < 1e-9 for e in quarters.values())


def test_the_library_accounts_the_budget():
    assert release.measurement(1, release.QUARTER_EPSILON).map(1) == release.QUARTER_EPSILON
    for size in layout.SIZE_CLASSES:  # one person moves each breakdown of the vector by 1
        k = len(size.series)
        if k:
            assert release.measurement(k, release.YEAR_EPSILON).map(k) <= \
                release.YEAR_EPSILON + 1e-9
    assert budget.QUARTER_EPSILON + budget.YEAR_EPSILON <= 1


def test_each_size_class_shows_only_breakdowns_narrower_than_their_numbers():
    """Decided in code per size class, before any year: every breakdown of a class has a 90 %
    interval no wider than its typical number at the class's smallest size, and one more
    breakdown would break that for some of them (the classes are as rich as the rule allows)."""
    for size in layout.SIZE_CLASSES:
        assert all(layout.breakdown_fits(size, key) for key in size.series), size.key
        # (a site row fits by its own minimum size, ``min_site_seats``; what sites cost the
        # other breakdowns is what this checks for the rest)
        others = [key for key in layout.SIZE_CLASSES[-1].series
                  if key not in size.series and key != "site"]
        for extra in others:
            richer = layout.SizeClass(size.key, size.min_seats, (*size.series, extra))
            assert not all(layout.breakdown_fits(richer, key) for key in richer.series), \
                (size.key, extra)
    assert [layout.size_class(seats).key for seats in (None, 150, 200, 999, 1000, 5000)] == [
        "tiny", "tiny", "small", "small", "medium", "large"]


def test_the_yearly_area_waits_for_a_whole_year_of_counting(app, monkeypatch, reporting_org):
    """``y_area`` began with issue 27: a year that began before it gets no area breakdown."""
    organisation, _owner, _code = reporting_org
    monkeypatch.setattr(layout, "YEAR_AREA_FROM", 2027)
    with app.app_context():
        assert layout.year_layout(organisation.id, 2026, 200).rows == {}
        assert list(layout.year_layout(organisation.id, 2027, 200).rows) == ["area"]


def test_the_size_class_is_the_one_of_the_seats_when_the_year_began(
        app, make_organisation, make_contract):
    organisation = make_organisation()
    year = last_year()
    start = periods.quarter_start(f"{year}Q1")
    make_contract(organisation=organisation, seats=300, created_at=start - timedelta(days=90))
    make_contract(organisation=organisation, seats=6000, created_at=start + timedelta(days=90))
    with app.app_context():
        assert release.plan_of(organisation.id, release.YEAR, year).size_class == "small"
        assert release.plan_of(organisation.id, release.YEAR,
                               str(int(year) + 1)).size_class == "large"


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
    # 200 seats: the "small" class, whose only yearly breakdown is the area
    assert [caption for caption, _rows in _layout(quiet_html)] == [
        "All requests", f"Area, year {last_year()}"]


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


def test_sites_get_rows_only_when_two_are_large_enough(app, reporting_org):
    organisation, _owner, primary = reporting_org
    year = last_year()
    start = periods.quarter_start(f"{year}Q1")
    before = start - timedelta(days=30)
    with app.app_context():
        db.session.execute(sa.update(AccessCode).values(created_at=before))
        db.session.commit()
    large = layout.size_class_named("large")
    assert large.min_site_seats == 374  # a site's row expects the interval's width (56) or more
    north = _code(app, organisation, "Werk Nord", 400, before)
    _code(app, organisation, "Büro", 10, before)
    late = _code(app, organisation, "Werk Süd", 800, start + timedelta(days=3))
    with app.app_context():
        rows, labels, _site_of = layout.sites(organisation.id, start, 5000, large.min_site_seats)
        # main site: 5000 - 400 - 10 = 4590 seats; Werk Süd did not exist when the year started
        assert rows == [layout.MAIN, f"code{north.id}", layout.OTHER_SITES]
        assert labels == {f"code{north.id}": "Werk Nord"}
        assert layout.sites(organisation.id, start, 700, large.min_site_seats)[0] == []
        assert "site" not in layout.year_layout(organisation.id, int(year), 4999).rows
    add_requests(app, organisation, 5, at=in_quarter(f"{year}Q2"), code=late)
    add_requests(app, organisation, 3, at=in_quarter(f"{year}Q2"), code=north)
    with app.app_context():
        plan = layout.year_layout(organisation.id, int(year), 5000)
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
    withdrawn = _code(app, organisation, "Pilot", 600, before,
                      revoked=periods.quarter_start(f"{year}Q1") - timedelta(days=1))
    add_requests(app, organisation, 2, at=in_quarter(f"{year}Q3"), code=withdrawn)
    with app.app_context():
        plan = layout.year_layout(organisation.id, int(year), 5000)
        assert "site" not in plan.rows  # withdrawn before the year: not a site of that year
        counts = release.true_counts(organisation.id, release.YEAR, year, plan)
        assert sum(counts["requester_type"]) == 2


def test_a_release_of_the_earlier_design_stays_as_it_was(app, english, reporting_org):
    """Stored before issue 27: an area histogram with ε 0.8 and no design or scale. It is shown
    as stored, marked, with the intervals of its own scale (1.25 per cell, three cells)."""
    from eap.models import utcnow
    from eap.reports.models import ReportRelease

    organisation, owner, _code = reporting_org
    quarter = last_quarter()
    with app.app_context():
        db.session.add(ReportRelease(
            organisation_id=organisation.id, kind="quarter", period=quarter, epsilon=0.8,
            cells={"series": [{"key": "area", "rows": ["medical", "psychological", "social"],
                               "values": [3, 11, 4]}], "labels": {}},
            created_at=utcnow()))
        db.session.commit()
    login_hr(english, owner)
    html = english.get(f"/hr/reports/?quarter={quarter}").get_data(as_text=True)
    found = {t["caption"]: t["rows"] for t in page_tables(html)}
    width = budget.sum_half_width([1.25] * 3)
    assert found["All requests"][1][1:3] == ["18*", f"{18 - width}–{18 + width}"]
    assert [row[1] for row in found["Area"][1:]] == ["3*", "11*", "4*"]
    assert "drawn under the earlier design" in html
    assert releases(app, organisation.id)[0][2]["series"][0]["values"] == [3, 11, 4]
