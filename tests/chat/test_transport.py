"""The chat's transport: an event stream sends what the database has after the last seen id;
notices wake streams in this process and, through Redis pub/sub, in another one; while Redis is
away the streams read the database; two counsellors taking one waiter — exactly one wins."""

from __future__ import annotations

import contextlib
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
    response = client.get(f"/help/chat/{chat_id}/events", buffered=False)
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


class _FakeRedis:
    """Just enough of a Redis server for the broker's listener (answers +OK, confirms
    PSUBSCRIBE); ``drop()`` closes the connection and stops listening, as a dead Redis does."""

    def __init__(self):
        import socket

        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        with connection:
            self._answer(connection)

    def _answer(self, connection) -> None:
        buffer = b""
        while True:
            try:
                chunk = connection.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while (command := self._command(buffer)) is not None:
                words, buffer = command
                if words[0].upper() == b"PSUBSCRIBE":
                    reply = b"*3\r\n$10\r\npsubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (
                        len(words[1]), words[1])
                elif words[0].upper() == b"PING":
                    reply = b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
                else:
                    reply = b"+OK\r\n"
                connection.sendall(reply)

    @staticmethod
    def _command(buffer: bytes):
        if not buffer.startswith(b"*") or b"\r\n" not in buffer:
            return None
        head, rest = buffer.split(b"\r\n", 1)
        words = []
        for _ in range(int(head[1:])):
            if b"\r\n" not in rest:
                return None
            size, rest = rest.split(b"\r\n", 1)
            length = int(size[1:])
            if len(rest) < length + 2:
                return None
            words.append(rest[:length])
            rest = rest[length + 2:]
        return words, rest

    def drop(self) -> None:
        import socket

        self.listener.close()
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)  # its thread closes it


def test_a_waiting_stream_switches_to_polling_as_soon_as_redis_is_lost():
    """A stream waits up to 15 s for a notice while Redis is there; when the listener loses
    Redis the wait must end at once (the stream then reads the database every
    CHAT_POLL_SECONDS), not after the 15 s — notices from other processes no longer come."""
    fake = _FakeRedis()
    broker = Broker(f"redis://127.0.0.1:{fake.port}/0")
    deadline = time.monotonic() + 5
    while not broker.pushing() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert broker.pushing()
    seen = broker.version(("chat.w",))
    threading.Timer(0.3, fake.drop).start()
    started = time.monotonic()
    assert broker.wait(("chat.w",), seen, 10.0)
    assert time.monotonic() - started < 3.0
    assert not broker.pushing()
