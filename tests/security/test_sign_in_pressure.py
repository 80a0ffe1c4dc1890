"""A stranger who fails on purpose on one HR or staff account name pays for every guess, and
cannot keep the owner out of a new browser (issue 26, item 3; SECURITY.md, third round).

The password step carries the proof of work of ``eap.security.proof_of_work`` (purposes
"hr-login" and "staff-login"). Past ``LOGIN_RATE_LIMIT`` failures from browsers the account never
signed in with, the step is not refused: it asks for ``POW_LOGIN_PRESSURE_DOUBLINGS`` doublings
more work before the password is checked. The old code answered the owner's new browser 429.
"""

from __future__ import annotations

import importlib

import pyotp
import pytest

from tests.conftest import PASSWORD, csrf_token
from tests.security.test_proof_of_work import challenge_of, english, solved

PRESSURE = 4


@pytest.fixture
def app_settings():
    # Only solved challenges pass (no no-JS shortcut); the global signal is not what is tested.
    return {"POW_NOJS_WAIT": 3600.0, "GLOBAL_FAILURE_THRESHOLD": "10000 per minute",
            "POW_LOGIN_PRESSURE_DOUBLINGS": PRESSURE}


def attempt(client, url: str, email: str, password: str):
    """A client with JavaScript (a script that solves every challenge it is given): opens the
    page, solves, posts; if asked again for more work, solves the harder challenge and posts
    again. Returns (final answer, the work it was asked for)."""
    page = client.get(url).get_data(as_text=True)
    asked = []
    for _ in range(2):
        challenge = challenge_of(page)
        asked.append(challenge["maxnumber"])
        answer = client.post(url, data={
            "csrf_token": csrf_token(client, "/help/"), "altcha": solved(challenge),
            "email": email, "password": password})
        page = answer.get_data(as_text=True)
        if answer.status_code != 200 or "Please enter your password again" not in page:
            return answer, asked
    return answer, asked


def _owner(kind, make_hr_user, make_staff):
    return ("/hr/login", make_hr_user()) if kind == "hr" else ("/staff/login", make_staff())


@pytest.mark.parametrize("kind", ["hr", "staff"])
def test_a_hundred_failures_cannot_keep_the_owner_out_of_a_new_browser(
        app, kind, make_hr_user, make_staff):
    url, user = _owner(kind, make_hr_user, make_staff)
    base = app.config["POW_MAX_NUMBER"]
    asked_of_script = []
    for n in range(100):
        script = english(app.test_client())  # throws its cookies away every time
        answer, asked = attempt(script, url, user.email, f"wrong guess {n}")
        assert answer.status_code == 200  # never a 429, never signed in
        assert "E-mail address or password is wrong" in answer.get_data(as_text=True)
        asked_of_script.append(asked[-1])
    # after the first LOGIN_RATE_LIMIT failures every guess costs 2**PRESSURE the base work
    assert asked_of_script[:5] == [base] * 5
    assert set(asked_of_script[5:]) == {base * 2**PRESSURE}

    owner = english(app.test_client())  # a new device: never signed in here
    answer, asked = attempt(owner, url, user.email, PASSWORD)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert asked == [base, base * 2**PRESSURE]  # asked once for the harder work
    if kind == "staff":
        code = pyotp.TOTP(user.totp_secret).now()
        answer = owner.post("/staff/login/code", data={
            "csrf_token": csrf_token(owner, "/staff/login/code"), "code": code})
        assert answer.status_code == 302
        assert owner.get("/staff/").status_code == 200
    else:
        assert owner.get("/hr/").status_code == 200


@pytest.mark.parametrize("kind", ["hr", "staff"])
def test_without_a_proof_nothing_is_checked_and_nothing_counts(
        app, kind, make_hr_user, make_staff, monkeypatch):
    """A post without a (sufficient) proof computes no password hash, is shown again with the
    address kept, and does not use up the account's allowance for anyone."""
    url, user = _owner(kind, make_hr_user, make_staff)
    module = importlib.import_module(
        "eap.employers.accounts" if kind == "hr" else "eap.staff.accounts")
    calls = []
    real = module.verify_password
    monkeypatch.setattr(module, "verify_password", lambda *a: calls.append(a) or real(*a))
    script = english(app.test_client())
    for _ in range(20):
        answer = script.post(url, data={"csrf_token": csrf_token(script, url),
                                        "email": user.email, "password": "guess guess"})
        assert answer.status_code == 200
        page = answer.get_data(as_text=True)
        assert "For your protection this step takes a few seconds" in page
        assert f'value="{user.email}"' in page
    assert calls == []
    owner = english(app.test_client())
    answer, asked = attempt(owner, url, user.email, PASSWORD)
    assert answer.status_code == 302
    assert asked == [app.config["POW_MAX_NUMBER"]]  # the proofless posts raised nothing


def test_a_solution_of_the_easier_challenge_is_no_proof_under_pressure(app, make_hr_user):
    user = make_hr_user()
    for n in range(5):
        attempt(english(app.test_client()), "/hr/login", user.email, f"wrong {n}")
    client = english(app.test_client())
    easy = challenge_of(client.get("/hr/login").get_data(as_text=True))
    assert easy["maxnumber"] == app.config["POW_MAX_NUMBER"]
    answer = client.post("/hr/login", data={
        "csrf_token": csrf_token(client, "/help/"), "altcha": solved(easy),
        "email": user.email, "password": PASSWORD})
    assert answer.status_code == 200
    assert "takes longer now" in answer.get_data(as_text=True)
    assert client.get("/hr/").status_code == 302
    # a solution of the staff step's challenge is no proof for the HR step either
    staff_challenge = challenge_of(english(app.test_client()).get(
        "/staff/login").get_data(as_text=True))
    answer = client.post("/hr/login", data={
        "csrf_token": csrf_token(client, "/help/"), "altcha": solved(staff_challenge),
        "email": user.email, "password": PASSWORD})
    assert answer.status_code == 200 and client.get("/hr/").status_code == 302


def test_a_known_browser_is_still_refused_after_its_own_failures(app, make_hr_user):
    """Known browsers keep their own bucket (issue 14): its own failures, not others', fill it."""
    user = make_hr_user()
    office = english(app.test_client())
    assert attempt(office, "/hr/login", user.email, PASSWORD)[0].status_code == 302
    office.post("/hr/logout", data={"csrf_token": csrf_token(office, "/hr/")})
    for n in range(5):
        assert attempt(office, "/hr/login", user.email, f"typo {n}")[0].status_code == 200
    assert attempt(office, "/hr/login", user.email, PASSWORD)[0].status_code == 429
