"""The chat's transport: an event stream sends what the database has after the last seen id;
notices wake streams in this process and, through Redis pub/sub, in another one; while Redis is
away the streams read the database; two counsellors taking one waiter — exactly one wins."""

from __future__ import annotations

import os
import threading
import time

import pytest
import redis as redis_library
import sqlalchemy as sa

from eap.chat import rooms
from eap.chat.broker import Broker
from eap.chat.models import ACTIVE, Chat, ChatMessage
from eap.extensions import db
from tests.chat.conftest import at_access_step, say, start_chat
from tests.conftest import post_form

REDIS_URL = os.environ.get("EAP_TEST_REDIS_URL", "")


@pytest.fixture
def app_settings():
    return {"CHAT_STREAM_SECONDS": 1, "CHAT_POLL_SECONDS": 0.2}


def _events(client, url: str, headers=None) -> str:
    response = client.get(url, headers=headers or {}, buffered=True)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no"
    return response.get_data(as_text=True)


def test_a_reconnecting_stream_gets_exactly_what_it_missed(app, client, counsellor, working_code):
    _org, code = working_code()
    at_access_step(client, code)
    chat_id = start_chat(client)
    post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    for text in ("eins", "zwei", "drei"):
        say(client, f"/help/chat/{chat_id}", text)
    with app.app_context():
        ids = list(db.session.scalars(sa.select(ChatMessage.id).order_by(ChatMessage.id)))
    body = _events(client, f"/help/chat/{chat_id}/events",
                   headers={"Last-Event-ID": str(ids[0])})
    assert "eins" not in body and "zwei" in body and "drei" in body
    assert f"id: {ids[2]}" in body and '"status": "active"' in body
    staff_body = _events(counsellor, f"/staff/chat/{chat_id}/events?after={ids[1]}")
    assert "drei" in staff_body and "zwei" not in staff_body


def test_a_stream_wakes_up_for_a_message_sent_while_it_waits(app, client, counsellor,
                                                            working_code):
    _org, code = working_code()
    at_access_step(client, code)
    chat_id = start_chat(client)
    post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    # The stream waits for one second; a message committed meanwhile must reach it.
    sender = threading.Timer(0.3, lambda: say(counsellor, f"/staff/chat/{chat_id}", "hallo"))
    sender.start()
    started = time.monotonic()
    response = client.get(f"/help/chat/{chat_id}/events", buffered=False,
                          environ_overrides={"wsgi.multithread": True})  # a threaded server
    seen = ""
    for chunk in response.response:
        seen += chunk.decode() if isinstance(chunk, bytes) else chunk
        if "hallo" in seen:
            break
    elapsed = time.monotonic() - started
    response.close()
    sender.join()
    assert "hallo" in seen
    assert elapsed < 0.9  # pushed, not found at the end of the stream


def test_in_process_notices_wake_a_waiting_stream():
    broker = Broker("")
    seen = broker.version(("chat.x",))
    threading.Timer(0.1, broker.publish, args=("chat.x",)).start()
    started = time.monotonic()
    assert broker.wait(("chat.x",), seen, 5.0)
    assert time.monotonic() - started < 1.0
    assert broker.pushing()


def _redis_or_skip():
    if not REDIS_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but EAP_TEST_REDIS_URL is not set")
        pytest.skip("EAP_TEST_REDIS_URL is not set")


def test_a_notice_published_in_one_process_reaches_another_through_redis():
    _redis_or_skip()
    one, other = Broker(REDIS_URL), Broker(REDIS_URL)  # each as in its own process
    deadline = time.monotonic() + 5
    while not (one.pushing() and other.pushing()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert other.pushing()
    seen = other.version(("chat.y",))
    one.publish("chat.y")
    assert other.wait(("chat.y",), seen, 3.0)


def test_without_redis_streams_poll_the_database_and_push_returns():
    _redis_or_skip()
    broker = Broker("redis://127.0.0.1:1/0")  # nothing listens there
    time.sleep(0.3)
    assert not broker.pushing()  # the streams read the database every CHAT_POLL_SECONDS
    broker.publish("chat.z")  # a failed publish is logged, never raised
    assert broker.version(("chat.z",)) == (1,)
    redis_library.Redis.from_url(REDIS_URL).ping()


def test_two_counsellors_taking_one_waiter_exactly_one_wins(app, make_staff, working_code):
    """Run on PostgreSQL for real overlap (EAP_TEST_DATABASE_URL); SQLite serialises."""
    _org, code = working_code()
    guest = app.test_client()
    at_access_step(guest, code)
    from tests.chat.conftest import counsellor_client

    desks = [counsellor_client(app, make_staff) for _ in range(4)]
    chat_id = start_chat_when_open(guest, desks)
    people = [desk.person for desk in desks]
    barrier = threading.Barrier(len(people), timeout=30)
    outcomes = [""] * len(people)

    def run(i: int) -> None:
        with app.app_context():
            try:
                chat = rooms.find(chat_id)
                barrier.wait()
                try:
                    rooms.take(chat, db.session.merge(people[i]), 2)
                    db.session.commit()
                    outcomes[i] = "won"
                except rooms.NotYours:
                    db.session.rollback()
                    outcomes[i] = "lost"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["lost"] * (len(people) - 1) + ["won"]
    with app.app_context():
        chat = rooms.find(chat_id)
        assert chat.status == ACTIVE
        assert chat.staff_id == people[outcomes.index("won")].id


def start_chat_when_open(guest, desks) -> str:
    del desks  # they opened for chats already
    return start_chat(guest)


def test_the_waiting_room_shows_only_ones_own_place(app, counsellor, working_code):
    _org, code = working_code()
    guests = []
    for acute in ("no", "no", "yes"):
        guest = app.test_client()
        at_access_step(guest, code)
        guests.append((guest, start_chat(guest, acute=acute)))
    (first, first_id), (second, second_id), (acute_guest, acute_id) = guests
    assert "You are next." in acute_guest.get(f"/help/chat/{acute_id}").get_data(as_text=True)
    page = second.get(f"/help/chat/{second_id}").get_data(as_text=True)
    assert "You are number 3 in the queue." in page
    assert "in the queue" in page and page.count("in the queue") == 1  # no one else's place
    # Taking the next one takes the acute waiter first.
    answer = post_form(counsellor, "/staff/chat/take", from_url="/staff/chat/")
    assert answer.headers["Location"].endswith(acute_id)
    assert "You are next." in first.get(f"/help/chat/{first_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Chat.status).where(Chat.public_id == acute_id)) \
            == ACTIVE


def test_a_sync_worker_answers_once_and_never_holds_a_stream(app, client, counsellor,
                                                            working_code):
    """Under a sync gunicorn worker (no threads) a stream must not block the worker: it
    answers what there is and closes; the browser asks again after ``retry``."""
    app.config["CHAT_STREAM_SECONDS"] = 30
    _org, code = working_code()
    at_access_step(client, code)
    chat_id = start_chat(client)
    started = time.monotonic()
    body = client.get(f"/help/chat/{chat_id}/events",
                      environ_overrides={"wsgi.multithread": False}).get_data(as_text=True)
    assert time.monotonic() - started < 2
    assert "retry: 1500" in body and '"status": "waiting"' in body


def test_a_guest_has_one_chat_at_a_time(app, client, counsellor, working_code):
    _org, code = working_code()
    at_access_step(client, code)
    first = start_chat(client)
    answer = client.get("/help/chat/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(first)


def _private_redis():
    """A redis-server of this test's own on a free port (a real one: it will be killed)."""
    import shutil
    import socket
    import subprocess

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but redis-server is missing")
        pytest.skip("redis-server is missing")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            redis_library.Redis(port=port).ping()
            return process, port
        except redis_library.ConnectionError:
            time.sleep(0.05)
    process.kill()
    pytest.fail("the private redis-server did not start")


def test_a_waiting_stream_switches_to_polling_as_soon_as_redis_is_lost():
    """A stream waits up to 15 s for a notice while Redis is there; when the listener loses
    Redis the wait must end at once (the stream then reads the database every
    CHAT_POLL_SECONDS), not after the 15 s — notices from other processes no longer come."""
    process, port = _private_redis()
    try:
        broker = Broker(f"redis://127.0.0.1:{port}/0")
        deadline = time.monotonic() + 5
        while not broker.pushing() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert broker.pushing()
        seen = broker.version(("chat.w",))
        threading.Timer(0.3, process.kill).start()
        started = time.monotonic()
        assert broker.wait(("chat.w",), seen, 10.0)
        assert time.monotonic() - started < 3.0
        assert not broker.pushing()
    finally:
        process.kill()
        process.wait()
