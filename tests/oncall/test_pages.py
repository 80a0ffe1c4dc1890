"""The requester pages say what can be reached now (templates/_reachable_now.html), in the
visitor's language: the language page, the access-code page and the list of requests. They
never name or count staff."""

from __future__ import annotations

import re

import pytest

from tests.oncall.conftest import EVENING, OFFICE_HOURS, ONCALL_NUMBER

SECTION = re.compile(r'<section class="reachable-now".*?</section>', re.S)


def _section(client, url: str, language: str) -> str:
    with client.session_transaction() as browser_session:
        browser_session["lang"] = language
    response = client.get(url)
    assert response.status_code == 200
    match = SECTION.search(response.get_data(as_text=True))
    assert match, f"no reachable-now section on {url}"
    return match.group(0)


@pytest.mark.parametrize("url", ["/help/", "/help/access"])
def test_out_of_hours_without_a_window_german(client, clock, url):
    clock(EVENING)
    html = _section(client, url, "de")
    assert "Jetzt erreichbar" in html
    assert "Telefon: Unsere Telefonleitung ist gerade nicht besetzt." in html
    assert "Gerade ist bei iGuS niemand direkt erreichbar." in html
    assert "tel:" not in html


def test_office_hours_german(client, clock, app):
    clock(OFFICE_HOURS)
    html = _section(client, "/help/access", "de")
    assert "Telefon: Sie erreichen uns jetzt unter" in html
    assert app.config["PHONE_LINE_NUMBER"] in html
    assert "niemand direkt erreichbar" not in html


@pytest.mark.parametrize("url", ["/help/", "/help/access"])
def test_on_call_number_in_arabic(app, client, clock, make_window, url):
    make_window(around=EVENING)
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER, ONCALL_PHONE_DIAL="+491712223334")
    clock(EVENING)
    html = _section(client, url, "ar")
    assert "الهاتف: خط المناوبة لدينا متاح الآن:" in html
    assert 'href="tel:+491712223334"' in html and ONCALL_NUMBER in html
    assert "خطر داهم" in html  # acute requests alert the person on call
    assert "Erika" not in html and "Bereitschaft</" not in html


def test_closed_in_arabic(client, clock):
    clock(EVENING)
    html = _section(client, "/help/", "ar")
    assert "الهاتف: خطّنا مغلق الآن." in html
    assert "لا يمكن حالياً التواصل مع أحد في iGuS مباشرةً." in html


def test_the_list_of_requests_says_it_too(app, client, clock, signed_up, make_window):
    make_window(around=EVENING)
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER)
    clock(EVENING)
    html = _section(client, "/help/requests/", "de")
    assert "Telefon: Unser Bereitschaftsdienst ist jetzt erreichbar unter" in html
    assert ONCALL_NUMBER in html
    html = _section(client, "/help/requests/", "ar")
    assert "الهاتف: خط المناوبة لدينا متاح الآن:" in html


def test_never_who_nor_how_many(app, client, clock, make_window, make_staff):
    """One person on call or three: the page is the same, and names no one."""
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER)
    clock(EVENING)
    make_window(around=EVENING, staff=make_staff(name="Anna Nachtdienst"))
    one = _section(client, "/help/", "de")
    for name in ("Berta Nachtdienst", "Cem Nachtdienst"):
        make_window(around=EVENING, staff=make_staff(role="triage", name=name))
    three = _section(client, "/help/", "de")
    assert one == three
    assert "Nachtdienst" not in three
