"""Brute force and enumeration at the sign-ins.

TOTP: 5 wrong codes in one password step → 429 (even for the right code then), and an
hourly ceiling per account across password steps; a code is never accepted twice. Access
codes and case keys: throttled per submitted secret. While an account name is under
pressure, no password hash is computed until the harder proof of work is done
(test_sign_in_pressure.py). Lock-out attacks (the stranger who fails on purpose): test_lockout.py.
(Enumeration at the HR login and reset: test_enumeration.py.)
"""

from __future__ import annotations

import importlib
import time

import pyotp
import pytest

from tests.conftest import PASSWORD, post_form
from tests.security.conftest import sign_up
from tests.security.test_proof_of_work import with_widget


def _password_step(client, user):
    answer = post_form(client, "/staff/login", {"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_totp_brute_force_is_throttled(app, make_staff):
    user = make_staff()
    client = app.test_client()
    _password_step(client, user)
    right = pyotp.TOTP(user.totp_secret).now()
    for _ in range(5):
        answer = post_form(client, "/staff/login/code", {"code": _wrong(right)})
        assert answer.status_code == 200
    blocked = post_form(client, "/staff/login/code", {"code": right})
    assert blocked.status_code == 429
    assert client.get("/staff/").status_code == 302  # not signed in


def test_totp_ceiling_per_account_across_password_steps(app, make_staff):
    """Starting over with the password gives a fresh per-step counter, but the account's
    hourly ceiling counts across password steps (a stranger who has the password)."""
    app.config["TOTP_ACCOUNT_LIMIT"] = "8 per hour"
    user = make_staff()
    right = pyotp.TOTP(user.totp_secret).now()
    for _ in range(2):
        client = app.test_client()
        _password_step(client, user)
        for _ in range(4):
            answer = post_form(client, "/staff/login/code", {"code": _wrong(right)})
            assert answer.status_code == 200
    fresh = app.test_client()
    _password_step(fresh, user)
    assert post_form(fresh, "/staff/login/code", {"code": right}).status_code == 429


def test_a_totp_code_is_accepted_once(app, make_staff):
    user = make_staff()
    first, second = app.test_client(), app.test_client()
    _password_step(first, user)
    _password_step(second, user)
    code = pyotp.TOTP(user.totp_secret).now()
    assert post_form(first, "/staff/login/code", {"code": code}).status_code == 302
    again = post_form(second, "/staff/login/code", {"code": code})
    assert again.status_code != 302
    assert second.get("/staff/").status_code == 302


@pytest.mark.parametrize(("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True),
                                                (2, False), (10, False)])
def test_totp_codes_within_one_step_only(app, make_staff, steps, accepted):
    """A code one 30-second step old or ahead is accepted (clock drift); two steps or more, in
    the past or in the future, is refused and the person stays signed out."""
    user = make_staff()
    client = app.test_client()
    _password_step(client, user)
    totp = pyotp.TOTP(user.totp_secret)
    # Stay clear of a step boundary, so that "one step" means the same to the test and the server.
    if time.time() % 30 > 20:
        time.sleep(31 - time.time() % 30)
    now = time.time()
    code = totp.at(now + 30 * steps)
    if not accepted and code in {totp.at(now + 30 * near) for near in (-1, 0, 1)}:
        pytest.skip("the far code happens to equal a near one (1 in ~300,000)")
    answer = post_form(client, "/staff/login/code", {"code": code})
    if accepted:
        assert answer.status_code == 302
        assert client.get("/staff/").status_code == 200
    else:
        assert answer.status_code == 200
        assert client.get("/staff/").status_code == 302  # still signed out


class TestSecretsAreThrottled:
    """Access codes and case keys cannot be brute-forced (per secret and globally)."""

    def test_access_code_guesses(self, app):
        client = app.test_client()
        with client.session_transaction() as browser_session:
            browser_session["lang"] = "en"
        for _ in range(5):
            assert post_form(client, "/help/access", {"code": "WRONG-CODE-0000"}).status_code == 200
        assert post_form(client, "/help/access", {"code": "WRONG-CODE-0000"}).status_code == 429

    def test_case_key_guesses(self, app, working_code):
        client = app.test_client()
        _org, code = working_code()
        requester = sign_up(client, code)
        other = app.test_client()
        for _ in range(5):
            answer = post_form(other, "/help/sign-in",
                               {"case_key": requester.case_key, "passphrase": "not the one x"})
            assert answer.status_code == 200
        answer = post_form(other, "/help/sign-in",
                           {"case_key": requester.case_key, "passphrase": requester.passphrase})
        assert answer.status_code == 429

    # Many different guesses at once: tests/security/test_lockout.py (slowed and alerted, never
    # a lock for the right secret).


@pytest.mark.parametrize("url, module", [("/hr/login", "eap.employers.accounts"),
                                         ("/staff/login", "eap.staff.accounts")])
def test_no_password_hash_is_computed_while_throttled(app, monkeypatch, url, module):
    """Past the account name's limit the step is not refused (issue 26) but asks for harder
    work first: a proof of the ordinary level gets the page again, and no hash is computed."""
    app.config["POW_NOJS_WAIT"] = 3600.0  # only solved challenges pass
    for _ in range(5):
        with_widget(app.test_client(), url, {"email": "victim@example.org",
                                             "password": "guess-guess-1"})
    calls = []
    target = importlib.import_module(module)
    real = target.verify_password
    monkeypatch.setattr(target, "verify_password", lambda *a: calls.append(a) or real(*a))
    answer = with_widget(app.test_client(), url, {"email": "victim@example.org",
                                                  "password": "guess-guess-2"})
    assert answer.status_code == 200
    assert calls == []
