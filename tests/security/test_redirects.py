"""Open redirects: every place that takes a ``next`` target keeps the visitor on this site."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest

from tests.conftest import PASSWORD, csrf_token, post_form

EVIL = [
    "//evil.example", "https://evil.example", "http://evil.example/x", "/\\evil.example",
    "\\\\evil.example", "/\\/evil.example", "https:evil.example", "//evil.example/%2F..",
    "javascript:alert(1)", " //evil.example", "\t//evil.example", "/%09/evil.example",
    "///evil.example", "http:/\\evil.example", "data:text/html,<script>alert(1)</script>",
    "/%5Cevil.example", "//%65vil.example",
]


def _browser_host(location: str) -> str:
    """The host a browser would go to for ``location`` seen on http://localhost/somewhere.

    Browsers drop tabs and newlines and treat a backslash like a slash in http(s) URLs.
    """
    cleaned = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    return urlsplit(urljoin("http://localhost/somewhere", cleaned)).netloc


def _stays_here(response) -> None:
    location = response.headers.get("Location", "")
    assert response.status_code in (302, 303), response.status_code
    assert _browser_host(location) == "localhost", location
    assert not location.lower().startswith(("javascript:", "data:")), location


@pytest.mark.parametrize("target", EVIL)
def test_language_switch(client, target):
    response = post_form(client, "/language", {"lang": "en", "next": target}, from_url="/help/")
    _stays_here(response)


@pytest.mark.parametrize("target", EVIL)
def test_language_link(client, target):
    _stays_here(client.get("/language/en", query_string={"next": target}))


@pytest.mark.parametrize("target", EVIL)
def test_hr_login(client, make_hr_user, target):
    user = make_hr_user()
    token = csrf_token(client, "/hr/login")
    response = client.post(
        "/hr/login?next=" + target,
        data={"csrf_token": token, "email": user.email, "password": PASSWORD, "next": target},
    )
    _stays_here(response)


@pytest.mark.parametrize("target", EVIL[:8])
def test_staff_login(client, make_staff, target):
    user = make_staff()
    token = csrf_token(client, "/staff/login")
    response = client.post(
        "/staff/login",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD, "next": target},
    )
    _stays_here(response)
    response = post_form(client, "/staff/login/code", {"code": pyotp.TOTP(user.totp_secret).now()})
    _stays_here(response)


@pytest.mark.parametrize("target", EVIL)
def test_requester_language_page_keeps_the_target_local(client, target):
    """/help/?next= becomes the target of the language links: never another site."""
    page = client.get("/help/", query_string={"next": target}).get_data(as_text=True)
    urls = re.findall(r'(?:href|action)="([^"]*)"', page)
    urls += re.findall(r'name="next" value="([^"]*)"', page)
    for url in urls:
        url = html.unescape(url)
        if url.startswith("tel:"):
            continue
        assert _browser_host(url) == "localhost", url
        assert not url.lower().startswith(("javascript:", "data:")), url


@pytest.mark.parametrize("url", ["/hr/", "/staff/", "/help/requests/"])
def test_login_redirects_of_protected_pages_are_local(client, url):
    response = client.get(url)
    if response.status_code in (302, 303):
        _stays_here(response)
