"""Public pages: content promised by the design, and no reference to another host."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from eap import demo
from eap.extensions import db
from eap.template_globals import EMERGENCY_NUMBERS

PUBLIC_PAGES = [
    "/", "/packages", "/faq", "/privacy", "/imprint", "/accessibility", "/cookies", "/emergency",
]
SIGN_IN_PAGES = ["/hr/login", "/hr/forgot-password", "/staff/login"]
URL_ATTRIBUTES = {"src", "href", "action", "srcset", "formaction", "poster", "data", "cite"}
STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def seeded(app):
    with app.app_context():
        demo.seed_packages()
        db.session.commit()
    return app


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                for url in value.split(",") if name == "srcset" else [value]:
                    self.urls.append((tag, name, url.strip().split(" ")[0]))


def parse(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


def foreign_urls(page: str) -> list[str]:
    found = []
    for tag, attribute, url in parse(page).urls:
        parts = urlsplit(url)
        if parts.scheme in {"mailto", "tel"}:
            continue
        if parts.scheme or parts.netloc or url.startswith("//") or "\\" in url:
            # Absolute links would be allowed only to this portal's own host.
            if not (parts.scheme in {"http", "https"} and parts.hostname == "localhost"):
                found.append(f"<{tag} {attribute}={url!r}>")
    return found


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("url", PUBLIC_PAGES + SIGN_IN_PAGES)
def test_no_page_refers_to_another_host(seeded, client, url, lang):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = lang
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert foreign_urls(page) == []
    # No inline scripts or styles either: the CSP forbids them, so they would only break. (The
    # sign-in pages load the vendored proof-of-work widget from /static/: no inline code.)
    assert re.search(r"<script(?![^>]*\ssrc=\"/static/)", page) is None
    assert " style=" not in page and "<style" not in page


def test_the_checker_does_catch_foreign_urls():
    page = (
        '<a href="https://evil.example/x">x</a><img src="//cdn.example/a.png">'
        '<form action="http://localhost/ok"></form><a href="mailto:a@b.example">m</a>'
        '<link href="/static/x.css"><img srcset="/a.png 1x, https://cdn.example/b.png 2x">'
    )
    assert foreign_urls(page) == [
        "<a href='https://evil.example/x'>",
        "<img src='//cdn.example/a.png'>",
        "<img srcset='https://cdn.example/b.png'>",
    ]


def test_stylesheets_load_nothing_from_elsewhere():
    for css in STATIC.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert "@import" not in text, css


@pytest.mark.parametrize("url", PUBLIC_PAGES + SIGN_IN_PAGES)
def test_headings_start_at_h1_and_skip_no_level(seeded, client, url):
    main = client.get(url).get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    levels = parse("<main" + main).headings
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("url", PUBLIC_PAGES + SIGN_IN_PAGES)
def test_emergency_numbers_in_every_footer(seeded, client, url):
    page = client.get(url).get_data(as_text=True)
    footer = page.split("<footer", 1)[1]
    for _label, number, dial in EMERGENCY_NUMBERS:
        assert number in footer and f'href="tel:{dial}"' in footer


def test_landing_page_presents_the_promise(seeded, client, english):
    page = english.get("/").get_data(as_text=True)
    for text in ("medical, psychological and social", "dependants",
                 "The employer never learns who asked for help.",
                 "How it works for employers", "How it works for employees"):
        assert text in page
    assert 'href="/packages"' in page
    assert "€2.50" in page  # the cheapest seeded package


@pytest.mark.parametrize("lang", ["de", "en"])
def test_packages_page_shows_the_seeded_packages(seeded, client, lang):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = lang
    page = client.get("/packages").get_data(as_text=True)
    for data in demo.PACKAGES:
        assert data[f"name_{lang}"] in page
        assert data[f"description_{lang}"] in page
    if lang == "de":
        assert "2,50\xa0€" in page and "27,00\xa0€" in page and "70,00\xa0€" in page
        assert "innerhalb von 48 Arbeitsstunden" in page
        assert "Nicht eingeschlossen" in page and "Eingeschlossen:" in page
        assert "Medizinisch, Psychisch, Sozial" in page
    else:
        assert "€2.50" in page and "€27.00" in page and "€6.50" in page
        assert "within 8 working hours" in page
        assert "Psychological, Social" in page


def test_packages_page_without_packages(client):
    assert "No packages are on offer" in client.get(
        "/packages", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)


def test_inactive_packages_are_not_offered(client, make_package):
    make_package(name_en="Old package", active=False)
    make_package(name_en="Current package")
    page = client.get("/packages", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Current package" in page and "Old package" not in page


def test_faq_answers_the_important_questions(client, english):
    page = english.get("/faq").get_data(as_text=True)
    assert page.count("<h2 id=\"faq-") >= 8
    for text in ("anonymous account", "deliberately blurred", "confidentiality", "dependants",
                 "Turkish, Arabic, Russian and Ukrainian", "Nothing.", "112",
                 "0800 111 0 111"):
        assert text in page, text


def test_cookie_notice_lists_exactly_the_session_cookie(app, client, english):
    page = english.get("/cookies").get_data(as_text=True)
    assert "only technically necessary cookies" in page
    assert "do not ask for your consent" in page
    assert page.count("<tbody>") == 1 and page.split("<tbody>")[1].count("<tr>") == 1
    assert "<code>__Host-eap_session</code>" in page
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-eap_session"
    for word in ("Secure", "HttpOnly", "SameSite=Lax", "close the browser"):
        assert word in page


def test_a_visit_sets_no_other_cookie(seeded, client):
    set_cookies = []
    for url in PUBLIC_PAGES + SIGN_IN_PAGES:
        set_cookies += client.get(url).headers.getlist("Set-Cookie")
    assert set_cookies
    assert all(header.startswith("__Host-eap_session=") for header in set_cookies)


def test_legal_pages_mark_example_data(client, english):
    for url in ("/imprint", "/privacy"):
        assert "example data" in english.get(url).get_data(as_text=True)


def test_privacy_policy_covers_the_essentials(client, english):
    page = english.get("/privacy").get_data(as_text=True)
    for text in ("Controller", "iGuS", "encrypted at rest", "no IP addresses", "Your rights",
                 "Art. 15", "Art. 17", "Art. 20", "supervisory authority", "technically necessary",
                 "retention period"):
        assert text in page, text


def test_accessibility_statement(client, english):
    page = english.get("/accessibility").get_data(as_text=True)
    assert "WCAG" in page and "2.1" in page and "AA" in page
    assert 'href="mailto:' in page and "Report a barrier" in page


def test_emergency_page_lists_every_number_prominently(client):
    page = client.get("/emergency").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "112" in main and "110" in main and "0228 19240" in main and "0800 111 0 111" in main
