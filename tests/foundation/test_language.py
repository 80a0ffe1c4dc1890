"""The visible language switch: German by default, English on request, no open redirect."""

import pytest

from tests.conftest import post_form


def test_german_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="de"' in page and "Im Notfall sofort anrufen" in page


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en"' in page


def test_switch_to_english_and_back(client):
    faq = client.get("/faq").get_data(as_text=True)
    assert 'href="/language/en?next=/faq"' in faq and 'aria-current="true">Deutsch' in faq
    response = client.get("/language/en?next=/faq")
    assert response.status_code == 302 and response.headers["Location"] == "/faq"
    page = client.get("/faq").get_data(as_text=True)
    assert '<html lang="en"' in page and "Frequently asked questions" in page
    # The choice wins over the browser's language, on every page.
    page = client.get("/privacy", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Privacy policy" in page
    client.get("/language/de?next=/faq")
    assert "Häufige Fragen" in client.get("/faq").get_data(as_text=True)


def test_the_start_page_form_chooses_the_language_too(client):
    response = post_form(client, "/language", {"lang": "en", "next": "/faq"}, from_url="/help/")
    assert response.status_code == 302 and response.headers["Location"] == "/faq"
    assert '<html lang="en"' in client.get("/faq").get_data(as_text=True)


def test_requester_only_language_does_not_change_portal_pages(client):
    client.get("/language/tr?next=/")
    assert '<html lang="de"' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.get("/language/xx?next=/")
    assert '<html lang="de"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        " //evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", (target, location)


def test_switch_links_return_to_the_current_page(client):
    page = client.get("/packages?x=1").get_data(as_text=True)
    assert 'href="/language/en?next=/packages?x%3D1"' in page
    response = client.get("/language/en?next=/packages?x%3D1")
    assert response.headers["Location"] == "/packages?x=1"


@pytest.mark.parametrize(
    "path",
    ["/faq", "/help/sign-in", "/help/?a=1&b=zwei drei", "/faq?q=Grüße+%2B&x=<b>\"'"],
)
def test_language_links_point_back_to_the_page_like_url_for(app, path):
    """Each link carries the page's address exactly as url_for writes it, escaped for HTML."""
    from flask import render_template_string, request, url_for
    from markupsafe import escape

    with app.test_request_context(path):
        app.preprocess_request()
        html = render_template_string('{% include "_language_switch.html" %}')
        here = request.full_path.rstrip("?")
        for code in ("de", "en"):
            expected = url_for("i18n.switch_language", code=code, next=here)
            assert f'href="{escape(expected)}"' in html


def test_requester_pages_offer_their_six_languages_and_portal_pages_two(client):
    start = client.get("/help/").get_data(as_text=True)
    assert start.count('href="/language/') == 7 and 'href="/language/ar?next=/help/"' in start
    packages = client.get("/packages").get_data(as_text=True)
    assert packages.count('href="/language/') == 2 and "/language/ar" not in packages


# Issue 16: a requester who reads the footer pages or the emergency numbers keeps their language.
REQUESTER_PUBLIC_PATHS = ["/faq", "/privacy", "/imprint", "/accessibility", "/cookies",
                          "/emergency"]


@pytest.mark.parametrize("path", REQUESTER_PUBLIC_PATHS)
@pytest.mark.parametrize("language", ["tr", "ar", "ru", "uk"])
def test_footer_pages_and_emergency_keep_the_requester_language(client, path, language):
    client.get(f"/language/{language}?next=/help/")
    page = client.get(path).get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    assert page.count('href="/language/') == 7  # six languages and plain German
    assert ('dir="rtl"' in page) == (language == "ar")
