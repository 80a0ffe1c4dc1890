"""Cookies and sessions across every kind of sign-in: hardened flags, no fixation.

The foundation tests check the cookie of a first visit (tests/foundation/test_security_baseline);
these check every cookie the portal sets after each kind of sign-in and sign-out.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import COOKIE, login_hr, login_staff, sign_up


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def _check(header: str) -> None:
    parts = [part.strip() for part in header.split(";")]
    name = parts[0].split("=", 1)[0]
    flags = {part.split("=", 1)[0].lower(): part for part in parts[1:]}
    assert name == COOKIE, f"unexpected cookie {name}"
    assert "secure" in flags and "httponly" in flags, header
    assert flags.get("samesite", "").lower() in ("samesite=lax", "samesite=strict"), header
    assert flags.get("path") == "Path=/" and "domain" not in flags, header  # __Host- rules


def _sign_in(app, who: str, make_hr_user, make_staff, working_code):
    client = app.test_client()
    # A page with a form: the first cookie an anonymous visitor gets (reading sets none).
    responses = [client.get("/hr/login")]
    if who == "hr":
        responses.append(login_hr(client, make_hr_user()))
    elif who == "staff":
        responses.append(login_staff(client, make_staff()))
    else:
        _org, code = working_code()
        sign_up(client, code)
        responses.append(client.get("/help/requests/"))
    assert responses[-1].status_code in (200, 302)
    return client, responses


@pytest.mark.parametrize("who", ["hr", "staff", "requester"])
def test_every_cookie_is_hardened(app, who, make_hr_user, make_staff, working_code):
    client, responses = _sign_in(app, who, make_hr_user, make_staff, working_code)
    headers = [h for r in responses for h in _set_cookies(r)]
    for path in ("/hr/", "/staff/", "/help/requests/", "/help/account/data"):
        headers += _set_cookies(client.get(path))
    assert headers
    for header in headers:
        _check(header)


@pytest.mark.parametrize("who", ["hr", "staff", "requester"])
def test_session_fixation(app, who, make_hr_user, make_staff, working_code):
    """Content planted before the sign-in does not survive it, and the cookie changes; a copy
    of the cookie from before the sign-in (an attacker's) is not signed in."""
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as planted:
        planted["planted"] = "by-attacker"
        planted["lang"] = "en"
    before = client.get_cookie(COOKIE).value
    attacker = app.test_client()
    attacker.set_cookie(COOKIE, before, domain="localhost")

    if who == "hr":
        assert login_hr(client, make_hr_user()).status_code == 302
        private = "/hr/"
    elif who == "staff":
        assert login_staff(client, make_staff()).status_code == 302
        private = "/staff/"
    else:
        _org, code = working_code()
        sign_up(client, code)
        private = "/help/requests/"
    after = client.get_cookie(COOKIE).value
    assert after != before
    with client.session_transaction() as content:
        assert "planted" not in content
    assert client.get(private).status_code == 200
    answer = attacker.get(private)
    assert answer.status_code != 200 or "sign" in answer.get_data(as_text=True).lower()
    assert answer.status_code in (302, 401, 403)


@pytest.mark.parametrize("who", ["hr", "staff"])
def test_old_cookie_is_useless_after_logout(app, who, make_hr_user, make_staff):
    from tests.conftest import post_form

    client = app.test_client()
    if who == "hr":
        login_hr(client, make_hr_user())
    else:
        login_staff(client, make_staff())
    home = f"/{who}/"
    copied = client.get_cookie(COOKIE).value
    post_form(client, f"/{who}/logout", from_url=home)
    thief = app.test_client()
    thief.set_cookie(COOKIE, copied, domain="localhost")
    assert thief.get(home).status_code == 302


def test_requester_cookie_after_sign_out_is_useless_for_a_new_sign_in_state(app, working_code):
    """A requester's session lives only in the signed cookie: sign-out replaces it; the
    idle and absolute timeouts (tested in tests/requests) bound what a copied cookie opens."""
    from tests.conftest import post_form

    client = app.test_client()
    _org, code = working_code()
    sign_up(client, code)
    post_form(client, "/help/sign-out", from_url="/help/requests/")
    assert client.get("/help/requests/").status_code == 401
