"""Server-Sent Events for one chat (or the desk): what the database has after the last seen id.

A stream sends every message with ``id:`` = the message id, so the browser's automatic
reconnect names the last one it got (``Last-Event-ID``) and receives exactly what it missed.
Between reads it waits for a notice (``eap.chat.broker``), or, while Redis is away, reads the
database every ``CHAT_POLL_SECONDS``. It holds no database connection while it waits, sends a
comment line every 15 s (proxies keep the connection), and ends after ``CHAT_STREAM_SECONDS``
so that sign-outs and expired sessions take effect; the browser then reconnects by itself.

Only a server that serves requests in threads holds a stream open (``wsgi.multithread``: the
threaded gunicorn of deploy/systemd/eap-chat.service, ``flask run``). A sync worker answers
once and closes, so a stream can never block it; the browser then asks again after the
``retry`` interval — polling, slower but correct.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

from flask import Response, current_app, request, stream_with_context

from eap.chat import rooms
from eap.chat.broker import DESK, broker
from eap.chat.models import ENDED, WAITING
from eap.extensions import db

HEARTBEAT = 15.0


def event(kind: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def stream(channels: tuple[str, ...], read: Callable[[int], tuple[list[str], int, bool]],
           after_id: int) -> Iterator[str]:
    """``read(after_id)`` → (events, new last id, finished); it runs in a fresh transaction."""
    config = current_app.config
    hold = request.environ.get("wsgi.multithread", False)
    deadline = time.monotonic() + (config["CHAT_STREAM_SECONDS"] if hold else 0)
    hub = broker()
    yield "retry: 1500\n\n"
    last, quiet_since = after_id, time.monotonic()
    while True:
        seen = hub.version(channels)
        try:
            events, last, finished = read(last)
        finally:
            db.session.rollback()  # no connection (nor snapshot) held while waiting
        if events:
            quiet_since = time.monotonic()
            yield "".join(events)
        if finished or time.monotonic() >= deadline:
            return
        timeout = HEARTBEAT if hub.pushing() else config["CHAT_POLL_SECONDS"]
        timeout = min(timeout, max(0.05, deadline - time.monotonic()))
        if not hub.wait(channels, seen, timeout) and time.monotonic() - quiet_since >= HEARTBEAT:
            quiet_since = time.monotonic()
            yield ": still here\n\n"


def last_event_id(header: str | None, query: str | None) -> int:
    for value in (header, query):
        if value and value.isdigit():
            return int(value)
    return 0


def response(body: Iterator[str]) -> Response:
    answer = Response(stream_with_context(body), mimetype="text/event-stream")
    answer.headers["Cache-Control"] = "no-store"
    answer.headers["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return answer


def chat_response(chat, for_staff: bool) -> Response:
    """One chat's stream, for its requester (no notes; a waiter's place) or for staff."""
    public_id, chat_id = chat.public_id, chat.id
    after = last_event_id(request.headers.get("Last-Event-ID"), request.args.get("after"))

    def read(last: int):
        current = rooms.find(public_id)
        if current is None:
            return [event("state", {"status": "deleted"})], last, True
        lines = rooms.lines(rooms.messages_after(chat_id, last, for_staff=for_staff))
        events = [event("message", line.as_event(), line.id) for line in lines]
        state = {"status": current.status}
        if current.status == WAITING and not for_staff:
            state["place"] = rooms.place_of(current)
        events.append(event("state", state))
        return events, lines[-1].id if lines else last, current.status == ENDED

    channels = (rooms.channel_of(public_id),)
    if chat.status == WAITING and not for_staff:  # the place moves when others go
        channels += (DESK,)
    return response(stream(channels, read, after))
