"""A guest with only the access code chats with a counsellor, then keeps the conversation as an
anonymous account or has it deleted."""

from __future__ import annotations

import json

import sqlalchemy as sa

from eap.chat.models import Chat, ChatMessage
from eap.extensions import db
from tests.chat.conftest import at_access_step, say, start_chat
from tests.conftest import count, post_form
from tests.requests.conftest import KEY_RE, PASSPHRASE


def _take(desk, chat_id):
    answer = post_form(desk, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    assert answer.headers["Location"].endswith(f"/staff/chat/{chat_id}")


def test_guest_chats_and_keeps_it_as_an_anonymous_account(app, client, counsellor, working_code):
    _org, code = working_code()
    at_access_step(client, code)
    chat_id = start_chat(client)
    waiting = client.get(f"/help/chat/{chat_id}").get_data(as_text=True)
    assert "You are next." in waiting
    assert "112" in waiting  # crisis numbers while waiting

    _take(counsellor, chat_id)
    here, there = f"/help/chat/{chat_id}", f"/staff/chat/{chat_id}"
    assert say(client, here, "Ich brauche jemanden zum Reden.").status_code == 302
    assert say(counsellor, there, "Ich bin da. Was ist passiert?").status_code == 302
    assert say(counsellor, there, "wirkt erschöpft", kind="note").status_code == 302

    page = client.get(f"/help/chat/{chat_id}").get_data(as_text=True)
    assert "Ich bin da. Was ist passiert?" in page
    # Without a script "Show new messages" loads the page anew, at the newest message.
    assert f'href="/help/chat/{chat_id}?new=1"' in page
    fresh = client.get(f"/help/chat/{chat_id}?new=1")
    assert fresh.status_code == 302 and fresh.headers["Location"].endswith(f"{chat_id}#latest")
    assert "wirkt erschöpft" not in page  # internal notes never reach the person
    staff_page = counsellor.get(f"/staff/chat/{chat_id}").get_data(as_text=True)
    assert "Ich brauche jemanden zum Reden." in staff_page and "wirkt erschöpft" in staff_page

    post_form(counsellor, f"/staff/chat/{chat_id}/end", from_url=f"/staff/chat/{chat_id}")
    ended = client.get(f"/help/chat/{chat_id}").get_data(as_text=True)
    assert "Keep this conversation?" in ended

    answer = post_form(client, f"/help/chat/{chat_id}/keep", from_url=f"/help/chat/{chat_id}")
    assert answer.headers["Location"].endswith("/help/account/new")
    page = client.get("/help/account/new").get_data(as_text=True)
    assert KEY_RE.search(page)  # the case key is shown now
    post_form(client, "/help/account/new", {"saved": "y"})
    answer = post_form(client, "/help/account/passphrase", {
        "requester_type": "employee", "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert answer.status_code == 302, answer.get_data(as_text=True)

    with app.app_context():
        chat = db.session.scalar(sa.select(Chat).where(Chat.public_id == chat_id))
        assert chat.account_id is not None and chat.guest_digest is None
    exported = json.loads(client.get("/help/account/data.json").get_data(as_text=True))
    texts = [m["text"] for c in exported["chats"] for m in c["messages"]]
    assert "Ich brauche jemanden zum Reden." in texts and "wirkt erschöpft" not in texts
    own_data = client.get("/help/account/data").get_data(as_text=True)  # the page, too
    assert "Ich brauche jemanden zum Reden." in own_data and "wirkt erschöpft" not in own_data
    # The kept chat still opens for its new owner.
    assert client.get(f"/help/chat/{chat_id}").status_code == 200


def test_a_guest_who_does_not_keep_it_has_it_deleted(app, client, counsellor, working_code):
    _org, code = working_code()
    at_access_step(client, code)
    chat_id = start_chat(client)
    _take(counsellor, chat_id)
    say(client, f"/help/chat/{chat_id}", "nur kurz")
    post_form(client, f"/help/chat/{chat_id}/end", from_url=f"/help/chat/{chat_id}")
    post_form(client, f"/help/chat/{chat_id}/delete", from_url=f"/help/chat/{chat_id}")
    with app.app_context():
        assert count(Chat) == 0 and count(ChatMessage) == 0
    assert counsellor.get(f"/staff/chat/{chat_id}").status_code == 404


def test_another_browser_cannot_open_a_guests_chat(app, client, counsellor, working_code):
    _org, code = working_code()
    at_access_step(client, code)
    chat_id = start_chat(client)
    stranger = app.test_client()
    at_access_step(stranger, code)  # even with the same poster code
    assert stranger.get(f"/help/chat/{chat_id}").status_code == 404
    assert stranger.get(f"/help/chat/{chat_id}/events").status_code == 404


def test_without_anyone_at_the_chat_nobody_is_put_in_a_queue(app, client, working_code):
    _org, code = working_code()
    at_access_step(client, code)
    page = client.get("/help/chat/").get_data(as_text=True)
    assert "Nobody is at the chat at the moment." in page
    answer = post_form(client, "/help/chat/", {"acute": "no"})
    assert answer.status_code == 200
    with app.app_context():
        assert count(Chat) == 0
