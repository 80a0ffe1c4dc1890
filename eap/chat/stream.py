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

from flask import current_app, request

from eap.chat.broker import broker
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
