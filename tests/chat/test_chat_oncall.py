"""An acute waiter in the chat's waiting room tells whoever is on call: one content-free mail."""

from __future__ import annotations

import pytest

from tests.chat.conftest import at_access_step, start_chat
from tests.oncall.conftest import EVENING

ONCALL = "bereitschaft@igus.example"


@pytest.fixture
def app_settings(mailbox):
    return {**mailbox.settings}


def test_an_acute_chat_waiter_mails_the_person_on_call_once(
        app, counsellor, working_code, make_window, make_staff, clock, mailbox):
    clock(EVENING)
    make_window(around=EVENING, staff=make_staff(role="counsellor", email=ONCALL,
                                                 name="Olga Oncall"))
    _org, code = working_code()
    guest = app.test_client()
    at_access_step(guest, code)
    chat_id = start_chat(guest, acute="yes")
    calm = app.test_client()
    at_access_step(calm, code)
    start_chat(calm, acute="no")  # not acute: no notice
    message = mailbox.wait_for(ONCALL)
    assert [m for m in mailbox.messages if ONCALL in m["To"]] == [message]
    text = str(message) + message.get_content()
    assert chat_id not in text and "/staff/chat" in text
