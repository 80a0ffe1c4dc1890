""""What your employer sees": the requester's own organisation's latest report, exactly as HR
sees it, with the guarantee in plain words, in all six requester languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from tests.conftest import login_hr
from tests.reports.conftest import add_requests, in_quarter, last_quarter, long_ago
from tests.reports.pages import page_tables
from tests.requests.conftest import sign_up

ROOT = Path(__file__).resolve().parents[2]
URL = "/help/account/employer-report"
HEADINGS = {"de": "Was Ihr Arbeitgeber sieht", "en": "What your employer sees",
            "tr": "İşvereninizin gördükleri", "ar": "ما يراه صاحب العمل",
            "ru": "Что видит ваш работодатель", "uk": "Що бачить ваш роботодавець"}


@pytest.fixture
def employer(app, make_organisation, make_contract, make_access_code, make_hr_user):
    organisation = make_organisation()
    make_contract(organisation=organisation, seats=250, created_at=long_ago())
    code, plain = make_access_code(organisation)
    add_requests(app, organisation, 35, at=in_quarter(last_quarter()), code=code)
    return organisation, plain, make_hr_user(organisation=organisation)


def test_the_requester_sees_exactly_what_hr_sees(app, client, employer):
    _organisation, plain, owner = employer
    sign_up(client, plain)
    assert URL in client.get("/help/requests/").get_data(as_text=True)
    mine = client.get(URL).get_data(as_text=True)
    assert "Whether or not you ask, the report your employer sees is almost equally likely" in mine
    assert "never sees a name, a text or a date" in mine and "blurred" in mine
    hr = app.test_client()
    with hr.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    login_hr(hr, owner)
    theirs = hr.get("/hr/reports/").get_data(as_text=True)
    # the summary at least (250 seats: the "small" class, whose area breakdown begins with the
    # first year counted with ``y_area``, eap.reports.layout.YEAR_AREA_FROM)
    assert page_tables(mine) == page_tables(theirs) and len(page_tables(mine)) >= 1
    assert "Your privacy receipt for" in mine and "Your privacy receipt for" not in theirs


def test_the_welcome_page_links_it(client, employer):
    _organisation, plain, _owner = employer
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    from tests.conftest import post_form
    from tests.requests.conftest import PASSPHRASE

    post_form(client, "/help/access", {"code": plain})
    client.get("/help/account/new")
    post_form(client, "/help/account/new", {"saved": "y"})
    post_form(client, "/help/account/passphrase", {
        "requester_type": "employee", "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert URL in client.get("/help/account/welcome").get_data(as_text=True)


@pytest.mark.parametrize("language", list(HEADINGS))
def test_the_page_speaks_every_requester_language(client, employer, language):
    _organisation, plain, _owner = employer
    sign_up(client, plain)
    with client.session_transaction() as browser_session:
        browser_session["lang"] = language
    html = client.get(URL).get_data(as_text=True)
    assert f"<h1>{HEADINGS[language]}</h1>" in html


def test_a_contract_without_an_ended_quarter(client, make_organisation, make_contract,
                                             make_access_code):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    sign_up(client, plain)
    html = client.get(URL).get_data(as_text=True)
    assert "There is no report yet" in html and "<table" not in html


SOURCES = [(ROOT / "templates" / "reports" / name, "jinja2") for name in ("_report.html",
                                                                          "_chart.html")]
SOURCES += [(ROOT / "eap" / "reports" / name, "python") for name in ("layout.py",
                                                                     "hr_report.py")]


@pytest.mark.parametrize("language", ("tr", "ar", "ru", "uk"))
def test_the_shared_report_strings_are_translated(language):
    keywords = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}
    wanted = {message for path, method in SOURCES
              for _line, message, _c, _ctx in extract_from_file(method, str(path),
                                                               keywords=keywords)}
    wanted -= {"Breakdown", "No quarter of your contract has ended yet."}  # CSV for HR only
    path = ROOT / "eap" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    assert not sorted(m for m in wanted if not catalogue.get(m))
