"""CSRF: every state-changing route, generated from the URL map, refuses a POST without a token.

The only exception is the Stripe webhook, which has no browser session and is authenticated by
its signature instead (its attacks are tested in tests/billing/test_webhooks.py).
"""

from __future__ import annotations

import pytest

from tests.security.conftest import login_hr, login_staff, post_routes, post_urls

NO_CSRF = {"stripe_webhook.receive"}  # signature-checked, see tests/billing/test_webhooks.py


def test_there_are_state_changing_routes(app):
    endpoints = {rule.endpoint for rule in post_routes(app)}
    assert {"hr_auth.login", "requests_cases.create", "signup.sign_up"} <= endpoints
    assert NO_CSRF <= endpoints, "the webhook moved: update NO_CSRF"


@pytest.mark.parametrize("who", ["anonymous", "hr", "staff", "requester"])
def test_every_post_route_without_token_is_refused(app, who, make_hr_user, make_staff,
                                                   working_code):
    client = app.test_client()
    if who == "hr":
        assert login_hr(client, make_hr_user()).status_code == 302
    elif who == "staff":
        assert login_staff(client, make_staff(role="admin")).status_code == 302
    elif who == "requester":
        from tests.security.conftest import sign_up

        _org, code = working_code()
        sign_up(client, code)
    checked = 0
    for endpoint, url in post_urls(app):
        if endpoint in NO_CSRF:
            continue
        for data in ({}, {"csrf_token": "forged-token"}):
            response = client.post(url, data={**data, "email": "a@example.org", "body": "x"})
            assert response.status_code == 400, (who, url, data, response.status_code)
            assert "Traceback" not in response.get_data(as_text=True)
        checked += 1
    assert checked >= 20


def test_a_token_of_another_session_is_refused(app, make_hr_user):
    from tests.conftest import csrf_token

    attacker = app.test_client()
    token = csrf_token(attacker, "/hr/login")
    victim = app.test_client()
    assert login_hr(victim, make_hr_user()).status_code == 302
    response = victim.post("/hr/logout", data={"csrf_token": token})
    assert response.status_code == 400
    assert victim.get("/hr/").status_code == 200  # still signed in


def test_button_forms_carry_the_session_token_and_it_works(app, make_hr_user):
    """The home page's sign-out buttons: each carries the session's token in a plain hidden
    field (no id, so several on one page repeat none), and the token signs the user out."""
    import re

    client = app.test_client()
    assert login_hr(client, make_hr_user()).status_code == 302
    page = client.get("/hr/").get_data(as_text=True)
    tokens = re.findall(r'<input type="hidden" name="csrf_token" value="([^"]+)">', page)
    assert len(tokens) >= 2 and len(set(tokens)) == 1
    assert 'id="csrf_token"' not in page
    response = client.post("/hr/logout", data={"csrf_token": tokens[0]})
    assert response.status_code == 302
    assert client.get("/hr/").status_code == 302  # signed out: back to the login
