"""OWASP ASVS 5.0 Level 2 requirements that had no test of their own (issue 26, item 4; the table
in SECURITY.md, "ASVS 5.0 Level 2", names each requirement and the test that proves it).
Numbering per ASVS 5.0.0."""

from __future__ import annotations

import re

import pytest

from eap.security.passwords import MAX_LENGTH, hash_password, password_problem, verify_password
from tests.conftest import PASSWORD, csrf_token, login_hr, post_form
from tests.requests.conftest import PASSPHRASE, sign_up

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
PASSWORD_INPUT_RE = re.compile(r'<input\b[^>]*type="password"[^>]*>')


# V6.2 password security ---------------------------------------------------------------------


@pytest.mark.parametrize("password, accepted", [
    ("elf zeichen", False),                      # 6.2.1: fewer than 12 characters
    ("zwölf zeichen", True),
    ("a" * 3 + "b" * 9, False),                  # too few different characters
    ("passwort1234", False),                     # 6.2.4: a common password
    ("ganz kleine buchstaben ohne ziffern", True),  # 6.2.5: no composition rules
    ("ein sehr langer satz " * 7, True),          # 6.2.9: 64 characters and more
    ("🙂 émojis und ümlaute sind erlaubt", True),  # any printable Unicode
    ("x" * (MAX_LENGTH + 1), False),             # over-long input refused before hashing
])
def test_password_policy(app, password, accepted):
    with app.test_request_context():
        assert (password_problem(password) is None) is accepted


def test_a_password_is_verified_as_received_without_truncation():
    """6.2.8: the whole password counts: neither a prefix nor a changed last character passes."""
    password = "ein langer satz mit vielen woertern " * 3
    stored = hash_password(password)
    assert verify_password(stored, password)
    assert not verify_password(stored, password[:-1])
    assert not verify_password(stored, password[:72])  # bcrypt's silent cut would pass here
    assert not verify_password(stored, password + " ")


def test_changing_the_password_needs_the_current_one(app, make_hr_user):
    """6.2.3: a stolen session alone cannot change the password."""
    client = app.test_client()
    assert login_hr(client, make_hr_user()).status_code == 302
    answer = post_form(client, "/hr/password", {
        "current": "not the current one", "password": "ein ganz neuer satz",
        "confirm": "ein ganz neuer satz"})
    assert answer.status_code == 200
    post_form(client, "/hr/logout", from_url="/hr/")
    again = app.test_client()
    assert post_form(again, "/hr/login", {"email": "hr1@example.org",
                                          "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("url", ["/hr/login", "/staff/login", "/hr/signup", "/help/sign-in"])
def test_password_fields_work_with_password_managers(client, url):
    """6.2.6 and 6.2.7: masked input, pasting and password managers allowed (autocomplete
    names the kind of password, never "off"), and every password goes in a POST body."""
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    page = client.get(url).get_data(as_text=True)
    fields = PASSWORD_INPUT_RE.findall(page)
    assert fields, url
    for field in fields:
        assert re.search(r'autocomplete="(current-password|new-password)"', field), field
        assert "onpaste" not in field and 'autocomplete="off"' not in field
    for attributes, body in FORM_RE.findall(page):
        if 'type="password"' in body:
            assert 'method="post"' in attributes, url


# V14.2.1 no sensitive data in URLs ---------------------------------------------------------


def test_no_secret_of_a_requester_travels_in_a_url(app, working_code):
    """A whole sign-up, sign-out and sign-in: no case key, recovery code or passphrase in any
    URL the browser is sent to (Location) or in any link or form action of the pages shown."""
    _organisation, code = working_code()
    client = app.test_client()
    seen: list[str] = []
    real_open = client.open

    def recording_open(*args, **kwargs):
        answer = real_open(*args, **kwargs)
        seen.append(answer.headers.get("Location", ""))
        seen.extend(re.findall(r'(?:href|action|src)="([^"]*)"', answer.get_data(as_text=True)))
        return answer

    client.open = recording_open
    requester = sign_up(client, code)
    post_form(client, "/help/sign-out", from_url="/help/requests/")
    answer = post_form(client, "/help/sign-in", {"case_key": requester.case_key,
                                                 "passphrase": requester.passphrase})
    assert answer.status_code == 302
    secrets = {requester.case_key, requester.case_key.replace("-", ""), requester.recovery,
               requester.recovery.replace("-", ""), PASSPHRASE, PASSPHRASE.replace(" ", "+"),
               PASSPHRASE.replace(" ", "%20")}
    assert len(seen) > 20  # the recorder saw the flow
    leaked = [url for url in seen for secret in secrets if secret and secret in url]
    assert leaked == []


# V3.4 headers on every class of response ----------------------------------------------------


def _hardened(answer) -> None:
    headers = answer.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, answer.status
    assert "unsafe-inline" not in csp, answer.status
    assert headers.get("X-Content-Type-Options") == "nosniff", answer.status
    assert headers.get("Referrer-Policy") == "no-referrer", answer.status


def test_security_headers_on_every_class_of_response(app, make_hr_user):
    """3.4.3–3.4.6: CSP with frame-ancestors, nosniff and Referrer-Policy on redirects, form
    errors, refusals and crashes too, not only on pages that render."""

    def crash():
        raise RuntimeError("forced")

    app.add_url_rule("/_forced-crash", "forced_crash", crash)
    client = app.test_client()
    user = make_hr_user()
    answers = {
        "200": client.get("/hr/login"),
        "302 redirect": client.get("/hr/"),
        "302 after a POST": login_hr(app.test_client(), user),
        "400 missing CSRF token": client.post("/hr/login", data={"email": "a@b.example"}),
        "404": client.get("/no-such-page"),
        "405": client.put("/hr/login"),
        "413": client.post("/hr/login", data={"x": "y" * (2 * 1024 * 1024)}),
        "500": client.get("/_forced-crash"),
    }
    office = app.test_client()
    login_hr(office, user)
    post_form(office, "/hr/logout", from_url="/hr/")
    for n in range(5):
        post_form(office, "/hr/login", {"email": user.email, "password": f"typo {n}"})
    answers["429"] = post_form(office, "/hr/login", {"email": user.email, "password": "typo"})
    for name, answer in answers.items():
        assert answer.status_code == int(name[:3]), (name, answer.status_code)
        _hardened(answer)
        assert "Traceback" not in answer.get_data(as_text=True)


# V13.4 nothing left open ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_unexpected_methods_are_refused(client, method):
    """13.4.4 (TRACE) and 3.5.3: only the methods a route is written for."""
    for url in ("/", "/hr/login", "/help/access"):
        assert client.open(url, method=method).status_code == 405, (method, url)


@pytest.mark.parametrize("url", ["/.git/config", "/.git/HEAD", "/.env", "/static/",
                                 "/static/../eap/__init__.py", "/static/%2e%2e/pyproject.toml",
                                 "/instance/data_key", "/pyproject.toml"])
def test_no_source_secret_or_directory_listing_is_served(client, url):
    """13.4.1–13.4.3: no source-control metadata, instance secrets or directory listing."""
    answer = client.get(url)
    assert answer.status_code in (404, 400), (url, answer.status_code)
    body = answer.get_data(as_text=True)
    assert "[core]" not in body and "Index of" not in body and "DATA_KEY" not in body


# V3.5 CSRF tokens are bound to the session ----------------------------------------------------


def test_a_csrf_token_of_another_browser_is_refused(app, make_hr_user):
    """3.5.1: the token is tied to the session; one copied from another browser is no good."""
    user = make_hr_user()
    attacker, victim = app.test_client(), app.test_client()
    foreign = csrf_token(attacker, "/hr/login")
    victim.get("/hr/login")
    answer = victim.post("/hr/login", data={"csrf_token": foreign, "email": user.email,
                                            "password": PASSWORD})
    assert answer.status_code == 400
    assert victim.get("/hr/").status_code == 302
