"""What the chat keeps and for how long: encrypted at rest, bound to its row; gone with the
account's erasure, with a purged case, and — for a guest who did not keep it — by the hourly
purge; the employer report's fixed "chat" row; an acute waiter tells whoever is on call."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eap.chat import rooms
from eap.chat.models import Chat, ChatMessage
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import HelpRequest, UsageCounter
from tests.chat.conftest import at_access_step, say, start_chat
from tests.conftest import count, post_form
from tests.requests.conftest import sign_up

SECRET = "Mein Chef darf das nie erfahren"


def _take(desk, chat_id):
    post_form(desk, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")


def test_messages_are_encrypted_at_rest_and_bound_to_their_row(app, client, counsellor,
                                                              working_code):
    _org, code = working_code()
    sign_up(client, code)
    chat_id = start_chat(client)
    _take(counsellor, chat_id)
    say(client, f"/help/chat/{chat_id}", SECRET)
    say(client, f"/help/chat/{chat_id}", "zweite Nachricht")
    with app.app_context():
        raw = db.session.execute(sa.text("SELECT id, body FROM chat_messages ORDER BY id")).all()
        assert raw and all(SECRET not in body for _id, body in raw)
        # A ciphertext copied into another message's row does not open there.
        db.session.execute(sa.text("UPDATE chat_messages SET body = :b WHERE id = :i"),
                           {"b": raw[0][1], "i": raw[1][0]})
        db.session.commit()
        db.session.expunge_all()
        with pytest.raises(Exception):  # noqa: B017 - DecryptionError, wrapped or not
            list(db.session.scalars(sa.select(ChatMessage).where(ChatMessage.id == raw[1][0])))


def test_erasing_the_account_erases_its_chats(app, client, counsellor, working_code):
    _org, code = working_code()
    sign_up(client, code)
    chat_id = start_chat(client)
    _take(counsellor, chat_id)
    say(client, f"/help/chat/{chat_id}", SECRET)
    assert post_form(client, "/help/account/delete", {"understood": "y"}).status_code == 302
    with app.app_context():
        assert count(Chat) == 0 and count(ChatMessage) == 0


def test_the_hourly_purge_deletes_guest_chats_not_kept_and_abandoned_ones(app, working_code,
                                                                         counsellor):
    _org, code = working_code()
    ids = []
    for _ in range(3):
        guest = app.test_client()
        at_access_step(guest, code)
        ids.append(start_chat(guest))
    kept_account = app.test_client()
    sign_up(kept_account, code)
    own = start_chat(kept_account)
    with app.app_context():
        now = utcnow()
        ended_long_ago, abandoned, fresh = (rooms.find(i) for i in ids)
        ended_long_ago.status, ended_long_ago.ended_at = "ended", now - timedelta(hours=2)
        abandoned.created_at = now - timedelta(hours=25)
        old_own = rooms.find(own)
        old_own.created_at = now - timedelta(days=3)  # an account's chat is not a guest's
        db.session.commit()
        assert rooms.purge_guests() == 2
        db.session.commit()
        left = set(db.session.scalars(sa.select(Chat.public_id)))
    assert left == {ids[2], own}
    assert fresh is not None


def test_a_purged_case_takes_its_chats_with_it(app, client, counsellor, working_code):
    from eap.counselling import retention

    _org, code = working_code()
    sign_up(client, code)
    chat_id = start_chat(client)
    _take(counsellor, chat_id)
    say(client, f"/help/chat/{chat_id}", SECRET)
    page = counsellor.get(f"/staff/chat/{chat_id}").get_data(as_text=True)
    import re

    nonce = re.findall(r'name="nonce" type="hidden" value="([^"]+)"', page)[-1]
    answer = post_form(counsellor, f"/staff/chat/{chat_id}/case", {
        "nonce": nonce, "area": "psychological", "topic": "stress", "for_whom": "self",
        "urgency": "normal"}, from_url=f"/staff/chat/{chat_id}")
    assert "/staff/cases/" in answer.headers["Location"]
    case_page = counsellor.get(answer.headers["Location"]).get_data(as_text=True)
    assert SECRET in case_page  # the chat is part of the case's thread
    mine = client.get("/help/requests/").get_data(as_text=True)
    case_id = re.search(r"/help/requests/([A-Za-z0-9_-]{16,})", mine).group(1)
    assert SECRET in client.get(f"/help/requests/{case_id}").get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest))
        assert case.preferred_contact == "chat" and case.assigned_staff_id == counsellor.person.id
        # The employer report's yearly "contact" series has its fixed "chat" row, counted.
        counted = db.session.scalar(sa.select(UsageCounter.count).where(
            UsageCounter.dimension == "y_contact", UsageCounter.value == "chat"))
        assert counted == 1
        case.status, case.closed_at = "closed", utcnow() - timedelta(days=4000)
        db.session.commit()
        retention.purge_all(utcnow())
        db.session.commit()
        assert count(Chat) == 0 and count(ChatMessage) == 0


def test_the_yearly_layout_has_the_chat_row_for_every_organisation(app, make_organisation):
    from eap.reports.layout import year_layout

    with app.app_context():
        for organisation in (make_organisation(), make_organisation()):
            layout = year_layout(organisation.id, 2026, seats=5000)  # the class with channels
            assert "chat" in layout.rows["contact"]


def test_the_request_form_does_not_offer_chat_as_a_contact(client, working_code):
    _org, code = working_code()
    sign_up(client, code)
    page = client.get("/help/requests/new?danger=no").get_data(as_text=True)
    assert 'value="messages"' in page and 'value="chat"' not in page
