""""Extra sessions requested" (issue 20): counted at most once per account and calendar year,
released inside the yearly vector of the "large" size class (issue 27: the year's ε stays 0.5),
shown to HR on the page and in the CSV with its 90 % range."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.reports import budget, layout, periods, release
from eap.requests import counters
from eap.requests.models import HelpRequest, UsageCounter
from tests.conftest import login_hr
from tests.reports.conftest import add_requests, in_quarter, long_ago
from tests.reports.pages import csv_of, page_tables


@pytest.fixture
def large_org(make_organisation, make_contract, make_access_code, make_hr_user):
    """A 5,000-seat organisation (the size class that gets "extra sessions requested")."""
    organisation = make_organisation()
    make_contract(organisation=organisation, seats=5000, created_at=long_ago())
    code, _plain = make_access_code(organisation)
    return organisation, make_hr_user(organisation=organisation, role="owner"), code


def last_year() -> str:
    return str(int(periods.current_quarter()[:4]) - 1)


def bounded(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(UsageCounter.quarter, sa.func.sum(UsageCounter.count))
            .where(UsageCounter.dimension == counters.YEAR_EXTRA_SESSIONS)
            .group_by(UsageCounter.quarter))
        return dict(rows.all())


def ask(app, case_ids, quarters) -> None:
    """Every case asks for more sessions once in each quarter (as the counter sees it)."""
    with app.app_context():
        for quarter in quarters:
            for case_id in case_ids:
                counters.record_extra_sessions_requested(db.session.get(HelpRequest, case_id),
                                                         now=in_quarter(quarter))
        db.session.commit()


def test_one_account_asking_many_times_counts_once_per_quarter_and_year(app, reporting_org):
    organisation, _owner, code = reporting_org
    year = last_year()
    first, second = add_requests(app, organisation, 2, at=in_quarter(f"{year}Q1"), code=code)
    with app.app_context():  # a second case of the first account: asking there counts no more
        account_id = db.session.get(HelpRequest, first).account_id
        again = add_requests(app, organisation, 1, at=in_quarter(f"{year}Q1"), code=code)[0]
        db.session.get(HelpRequest, again).account_id = account_id
        db.session.commit()
    ask(app, [first, again, first, again], [f"{year}Q1"])
    assert bounded(app) == {f"{year}Q1": 1}
    ask(app, [first, again], [f"{year}Q2", f"{year}Q3", f"{year}Q4"])  # same year: nothing
    assert bounded(app) == {f"{year}Q1": 1}
    ask(app, [second, second], [f"{year}Q3"])  # another person
    assert bounded(app) == {f"{year}Q1": 1, f"{year}Q3": 1}
    ask(app, [first], [f"{int(year) + 1}Q1"])  # a new year: the account counts again
    assert bounded(app)[f"{int(year) + 1}Q1"] == 1
    with app.app_context():  # the exact (iGuS) counter sees every ask
        exact = db.session.scalar(sa.select(sa.func.sum(UsageCounter.count)).where(
            UsageCounter.dimension == counters.EXTRA_SESSIONS))
    assert exact == 4 + 6 + 2 + 1


def test_the_series_is_one_more_cell_of_the_yearly_vector(app, large_org):
    organisation, _owner, code = large_org
    year = last_year()
    cases = add_requests(app, organisation, 7, at=in_quarter(f"{year}Q2"), code=code)
    ask(app, cases, [f"{year}Q2", f"{year}Q3"])
    with app.app_context():
        plan = layout.year_layout(organisation.id, int(year), 5000)
        counts = release.true_counts(organisation.id, release.YEAR, year, plan)
        assert counts["extra_sessions"] == [7]
        _noisy, epsilon = release.draw(counts, release.YEAR_EPSILON)
    assert abs(epsilon - release.YEAR_EPSILON) < 1e-9  # sensitivity follows the series count
    assert len(counts) == 5  # area, topic group, requester type, contact, extra (no sites)
    with app.app_context():  # smaller classes do not publish it (its range is too wide)
        assert "extra_sessions" not in layout.year_layout(organisation.id, int(year), 4999).rows


def test_hr_sees_the_noisy_count_on_the_page_and_in_the_csv(app, english, large_org):
    organisation, owner, code = large_org
    year = last_year()
    cases = add_requests(app, organisation, 90, at=in_quarter(f"{year}Q2"), code=code)
    ask(app, cases[:80], [f"{year}Q2"])
    login_hr(english, owner)
    quarter = f"{year}Q4"
    html = english.get(f"/hr/reports/?quarter={quarter}").get_data(as_text=True)
    title = f"Extra sessions requested, year {year}"
    table = {t["caption"]: t["rows"] for t in page_tables(html)}[title]
    label, value, interval = table[1]
    assert label == "People who asked for more sessions at the limit"
    # discrete Laplace, scale 10 (five series, ε 0.5): more than 120 off has a chance < 1e-5
    assert abs(int(value) - 80) <= 120
    width = budget.half_width(10.0)
    assert interval == f"{max(int(value) - width, 0)}–{int(value) + width}"
    rows = csv_of(english.get(f"/hr/reports/export.csv?quarter={quarter}"))
    assert [title, label, value, interval] in rows
