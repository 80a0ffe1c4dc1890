"""Issue 27: the sample report HR sees before its first real one (invented numbers, marked,
never mixed with a release) and the requester's privacy receipt on "What your employer sees"."""

from __future__ import annotations

import sqlalchemy as sa

from eap.extensions import db
from eap.reports import budget, periods, receipt
from eap.reports import sample as sample_module
from eap.reports.models import ReportRelease
from eap.requests.models import RequesterAccount
from tests.conftest import count, login_hr
from tests.reports.conftest import add_requests, in_quarter, last_quarter, releases
from tests.reports.pages import csv_of, page_tables
from tests.requests.conftest import send_request, sign_up

URL = "/help/account/employer-report"


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_the_sample_is_shown_before_the_first_report_and_marked(
        app, english, make_organisation, make_contract, make_hr_user, make_access_code):
    organisation = make_organisation()
    make_contract(organisation=organisation, seats=300)  # starts now: no quarter has ended
    code, _plain = make_access_code(organisation)
    add_requests(app, organisation, 7, code=code)  # real requests of the running quarter
    login_hr(english, make_hr_user(organisation=organisation))
    html = _main(english.get("/hr/reports/").get_data(as_text=True))
    assert 'data-testid="sample-report"' in html
    assert "Sample report: invented numbers, not your organisation" in html
    sample = {t["caption"]: t["rows"] for t in page_tables(html)}
    assert sample["All requests"][0][1] == "Sample quarter"
    # the sample's numbers are the invented constants, with the real design's ranges
    first = sample["All requests"][1]
    value = sample_module.SAMPLE_FIRST_THIS_YEAR[0]
    assert first[1:3] == [str(value), f"{value - 5}–{value + 5}"]
    with app.app_context():
        assert count(ReportRelease) == 0  # showing the sample drew nothing
    assert csv_of(english.get("/hr/reports/export.csv")) == [
        ["No quarter of your contract has ended yet."]]


def test_the_sample_never_mixes_with_real_releases(app, english, reporting_org):
    organisation, owner, code = reporting_org
    add_requests(app, organisation, 20, at=in_quarter(last_quarter()), code=code)
    login_hr(english, owner)
    html = _main(english.get("/hr/reports/").get_data(as_text=True))
    assert "sample" not in html.lower() and "Sample quarter" not in html
    stored = releases(app, organisation.id)
    assert stored and all(cells.get("design") for _k, _p, cells, _e in stored)
    # and the sample is built from constants only: nothing in it reads the database
    with app.app_context():
        db.session.execute(sa.delete(ReportRelease))
        sample = sample_module.sample_report()
        assert sample.sample and not sample.published
        assert count(ReportRelease) == 0
    csv = english.get("/hr/reports/export.csv").get_data(as_text=True)
    assert "Sample" not in csv


def test_the_receipt_of_an_account_not_counted_this_year(app, client, reporting_org):
    _organisation, _owner, code = reporting_org
    sign_up(client, code.code)
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    html = client.get(URL).get_data(as_text=True)
    year = periods.current_quarter()[:4]
    assert f"Your privacy receipt for {year}" in html
    assert f"In {year} your account has not been counted" in html and "(ε 0)" in html


def test_the_receipt_of_a_counted_account(app, client, make_organisation, make_contract,
                                          make_access_code):
    organisation = make_organisation()
    make_contract(organisation=organisation, seats=300)
    _code, plain = make_access_code(organisation)
    sign_up(client, plain)
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    assert send_request(client).status_code == 302
    assert send_request(client).status_code == 302  # a second request: not counted again
    quarter = periods.current_quarter()
    html = client.get(URL).get_data(as_text=True)
    assert f"has been counted once, in the figures of the quarter {quarter}" in html
    assert (f"Figures of the quarter {quarter}: ε 0.5 (published after the quarter has ended)"
            in html)
    assert f"Yearly breakdowns {quarter[:4]}: ε 0.5 (published after the year has ended)" in html
    assert "In all this year: ε 1.0 of at most 1.0." in html


def test_the_receipt_reads_the_stored_releases(app, reporting_org):
    """Once the account's quarter and year are released, the receipt shows their stored ε; a
    tiny organisation's year spends nothing, and its receipt says so."""
    organisation, _owner, code = reporting_org
    [case_id] = add_requests(app, organisation, 1, at=in_quarter(last_quarter()), code=code)
    with app.app_context():
        from eap.requests.models import HelpRequest
        account = db.session.get(HelpRequest, case_id).account
        now = periods.quarter_end(last_quarter())  # the day the quarter ended
        result = receipt.receipt(account, now)
        if last_quarter()[:4] != periods.current_quarter(now)[:4]:
            return  # the last quarter was a Q4: its year is the running one's predecessor
        assert result.counted_quarter == last_quarter()
        from eap.reports import release
        release.get_or_draw(organisation.id, release.QUARTER, last_quarter())
        db.session.commit()
        result = receipt.receipt(account, now)
        quarter_item, year_item = result.items
        assert quarter_item.published and quarter_item.epsilon == budget.QUARTER_EPSILON
        assert not year_item.published and year_item.epsilon == budget.YEAR_EPSILON
        assert abs(result.used - 1.0) < 1e-9
        db.session.execute(sa.update(RequesterAccount).values(counted_quarter="2001Q1"))
        db.session.commit()
        db.session.refresh(account)
        assert receipt.receipt(account, now).items == []


def test_the_receipt_speaks_every_requester_language(client, make_organisation,
                                                     make_contract, make_access_code):
    organisation = make_organisation()
    make_contract(organisation=organisation, seats=300)
    _code, plain = make_access_code(organisation)
    sign_up(client, plain)
    assert send_request(client).status_code == 302
    english_text = None
    for language in ("en", "de", "de-simple", "tr", "ar", "ru", "uk"):
        with client.session_transaction() as browser_session:
            browser_session["lang"] = language
        html = client.get(URL).get_data(as_text=True)
        start = html.index('data-testid="privacy-receipt"')
        receipt = html[start:html.index("</section>", start)]
        if language == "en":
            english_text = receipt
        else:
            assert receipt != english_text, language
