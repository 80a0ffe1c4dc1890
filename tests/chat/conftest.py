"""Helpers for the live chat tests: a counsellor open for chats, a guest at the access step."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login_staff, post_form
from tests.oncall.conftest import clock, make_window  # noqa: F401  (fixtures)
from tests.requests.conftest import working_code  # noqa: F401  (a fixture)

CHAT_RE = re.compile(r"/help/chat/([A-Za-z0-9_-]{16,})")
STAFF_CHAT_RE = re.compile(r"/staff/chat/([A-Za-z0-9_-]{16,})")


@pytest.fixture
def counsellor(app, make_staff):
    """A counsellor open for chats for two hours, signed in on their own test client."""
    return counsellor_client(app, make_staff, name="Clara Counsellor")


def counsellor_client(app, make_staff, **fields):
    person = make_staff("counsellor", **fields)
    desk = app.test_client()
    login_staff(desk, person)
    answer = post_form(desk, "/staff/chat/presence", {"hours": "2", "max_parallel": "2"},
                       from_url="/staff/chat/")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    desk.person = person
    return desk


def at_access_step(client, code: str) -> None:
    with client.session_transaction() as browser_session:
        browser_session.setdefault("lang", "en")
    answer = post_form(client, "/help/access", {"code": code})
    assert answer.status_code == 302, answer.get_data(as_text=True)


def start_chat(client, acute: str = "no", query: str = "") -> str:
    """Start a chat from /help/chat/ and return its public id."""
    answer = post_form(client, "/help/chat/" + query, {"acute": acute})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return CHAT_RE.search(answer.headers["Location"]).group(1)


def say(client, url: str, text: str, **extra):
    page = client.get(url).get_data(as_text=True)
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', page).group(1)
    return post_form(client, url + "/send", {"body": text, "nonce": nonce, **extra},
                     from_url=url)
