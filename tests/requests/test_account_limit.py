"""Accounts per access code and day are limited (padding a code stays slow and visible)."""

from __future__ import annotations

import pytest

from tests.conftest import post_form
from tests.requests.conftest import PASSPHRASE, sign_up


@pytest.fixture
def app_settings():
    return {"REQUESTER_ACCOUNTS_PER_CODE_PER_DAY": 2}


def test_a_code_makes_only_so_many_accounts_a_day(app, working_code):
    _organisation, plain = working_code()
    for _ in range(2):
        sign_up(app.test_client(), plain)
    third = app.test_client()
    with third.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    assert post_form(third, "/help/access", {"code": plain}).status_code == 302
    assert post_form(third, "/help/account/new", {"saved": "y"}).status_code == 302
    answer = post_form(third, "/help/account/passphrase", {
        "requester_type": "employee", "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert answer.status_code == 429
    html = answer.get_data(as_text=True)
    assert "unusually many accounts have been created with this access code" in html
    assert "0800 111 0 111" in html  # crisis help stays in reach
    # another organisation's code is not affected
    _other, other_plain = working_code()
    sign_up(app.test_client(), other_plain)
