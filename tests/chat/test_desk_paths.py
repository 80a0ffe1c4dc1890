"""The chat desk's other paths: at most N chats at once, nobody waiting, handing over, writing
to an ended chat, leaving to write a message instead, a bad message kept in the form."""

from __future__ import annotations

import re

from tests.chat.conftest import counsellor_client, say, start_chat
from tests.conftest import post_form
from tests.requests.conftest import sign_up


def _requester(app, code):
    client = app.test_client()
    sign_up(client, code)
    return client


def test_a_counsellor_holds_at_most_their_parallel_chats(app, counsellor, working_code):
    _org, code = working_code()
    ids = [start_chat(_requester(app, code)) for _ in range(3)]
    for chat_id in ids[:2]:
        post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    answer = post_form(counsellor, "/staff/chat/take", {"chat": ids[2]}, from_url="/staff/chat/")
    assert answer.headers["Location"].endswith("/staff/chat/")
    page = counsellor.get("/staff/chat/").get_data(as_text=True)
    assert "Sie führen bereits 2 Chats. Beenden Sie zuerst einen." in page  # staff: German


def test_take_next_with_nobody_waiting_says_so(app, counsellor):
    answer = post_form(counsellor, "/staff/chat/take", from_url="/staff/chat/")
    assert answer.status_code == 302
    assert "Niemand wartet." in counsellor.get("/staff/chat/").get_data(as_text=True)


def test_handing_over_gives_the_chat_to_the_colleague(app, counsellor, make_staff, working_code):
    _org, code = working_code()
    chat_id = start_chat(_requester(app, code))
    post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    colleague = counsellor_client(app, make_staff, name="Kai Kollege")
    answer = post_form(counsellor, f"/staff/chat/{chat_id}/hand-over",
                       {"staff_id": str(colleague.person.id)}, from_url=f"/staff/chat/{chat_id}")
    assert answer.status_code == 302
    assert say(colleague, f"/staff/chat/{chat_id}", "Ich übernehme.").status_code == 302
    assert counsellor.get(f"/staff/chat/{chat_id}").status_code == 404  # no longer theirs


def test_writing_to_an_ended_chat_keeps_nothing_and_says_why(app, counsellor, working_code):
    _org, code = working_code()
    requester = _requester(app, code)
    chat_id = start_chat(requester)
    page = requester.get(f"/help/chat/{chat_id}").get_data(as_text=True)
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', page).group(1)
    post_form(requester, f"/help/chat/{chat_id}/end", from_url=f"/help/chat/{chat_id}")
    answer = post_form(requester, f"/help/chat/{chat_id}/send", {"body": "zu spät", "nonce": nonce},
                       from_url="/help/requests/", headers={"Accept": "application/json"})
    assert answer.status_code == 409 and answer.json["errors"]


def test_an_empty_message_is_refused_in_the_persons_language(app, counsellor, working_code):
    _org, code = working_code()
    requester = _requester(app, code)
    chat_id = start_chat(requester)
    answer = post_form(requester, f"/help/chat/{chat_id}/send", {"body": "", "nonce": "n" * 24},
                       from_url=f"/help/chat/{chat_id}")
    assert answer.status_code == 400
    assert "Please write your message." in answer.get_data(as_text=True)


def test_write_instead_ends_the_chat_and_opens_the_request_form(app, counsellor, working_code):
    _org, code = working_code()
    requester = _requester(app, code)
    chat_id = start_chat(requester)
    answer = post_form(requester, f"/help/chat/{chat_id}/end", {"then": "write"},
                       from_url=f"/help/chat/{chat_id}")
    assert answer.headers["Location"].endswith("/help/requests/new")
    assert "The chat has ended" in requester.get(f"/help/chat/{chat_id}").get_data(as_text=True)
