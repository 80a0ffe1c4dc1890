"""The copied cookie (issue 14, item 4): sign-out, recovery, "sign out everywhere" and erasure end
every copy of a requester's session, not only the browser that asked."""

from __future__ import annotations

from tests.conftest import post_form
from tests.security.conftest import COOKIE

CASES = "/help/requests/"


def _copy_of(app, client):
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value, domain="localhost")
    assert thief.get(CASES).status_code == 200  # the copy works while the session does
    return thief


def test_sign_out_ends_a_copied_cookie(app, client, signed_up):
    thief = _copy_of(app, client)
    post_form(client, "/help/sign-out", from_url=CASES)
    assert client.get(CASES).status_code == 401
    assert thief.get(CASES).status_code == 401


def test_sign_out_everywhere_ends_every_session_of_the_account(app, client, signed_up):
    thief = _copy_of(app, client)
    laptop = app.test_client()
    with laptop.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    assert post_form(laptop, "/help/sign-in", {
        "case_key": signed_up.case_key, "passphrase": signed_up.passphrase}).status_code == 302
    page = client.get("/help/account/data").get_data(as_text=True)
    assert 'action="/help/sign-out-everywhere"' in page
    answer = post_form(client, "/help/sign-out-everywhere", from_url=CASES)
    assert answer.status_code == 302
    for browser in (client, thief, laptop):
        assert browser.get(CASES).status_code == 401


def test_recovery_ends_sessions_with_the_old_passphrase(app, client, signed_up):
    thief = _copy_of(app, client)
    new = "seven orange kites over harbour"
    owner = app.test_client()
    with owner.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    answer = post_form(owner, "/help/recover", {
        "recovery_code": signed_up.recovery, "passphrase": new, "confirm": new})
    assert answer.status_code == 302
    assert thief.get(CASES).status_code == 401
    assert client.get(CASES).status_code == 401
    assert owner.get(CASES).status_code == 200  # the one who recovered stays signed in


def test_erasure_ends_a_copied_cookie(app, client, signed_up):
    thief = _copy_of(app, client)
    page = client.get("/help/account/delete").get_data(as_text=True)
    assert "csrf_token" in page
    post_form(client, "/help/account/delete", {"understood": "y"})
    assert thief.get(CASES).status_code == 401


def test_a_session_from_before_the_generation_check_is_not_honoured(app, client, signed_up):
    """A cookie without the generation (made before the upgrade, or forged) opens nothing."""
    with client.session_transaction() as browser_session:
        data = dict(browser_session["requester"])
        data.pop("gen", None)
        browser_session["requester"] = data
    assert client.get(CASES).status_code == 401
