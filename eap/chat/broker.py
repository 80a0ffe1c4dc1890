"""THE module that owns the live chat's Redis pub/sub: "something changed in chat X".

The database is the source of truth; a notice carries no content, only the channel's name. Each
process keeps one version counter per channel and one listener thread on Redis
(``PSUBSCRIBE eap:chat:*``) that raises the counter of every channel named in a notice; event
streams in the process wait on the counter and then read the database. Without ``REDIS_URL``
the notices stay in the process (``flask run``, one gunicorn worker). While Redis is not
reachable the streams read the database every ``CHAT_POLL_SECONDS`` instead; the listener
reconnects by itself, and push returns without a restart.

A notice is published only after the commit of what it announces (``after_commit``), so a
stream that wakes up always finds it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import defaultdict

import redis
from flask import current_app

PREFIX = "eap:chat:"
log = logging.getLogger(__name__)


class Broker:
    def __init__(self, url: str) -> None:
        self.url = url
        self._versions: dict[str, int] = defaultdict(int)
        self._changed = threading.Condition()
        self._connected = threading.Event()
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2) \
            if url else None
        if url:
            threading.Thread(target=self._listen, name="eap-chat-listener", daemon=True).start()

    # -- the process side -------------------------------------------------------------------
    def version(self, channels: tuple[str, ...]) -> tuple[int, ...]:
        with self._changed:
            return tuple(self._versions[channel] for channel in channels)

    def wait(self, channels: tuple[str, ...], seen: tuple[int, ...], timeout: float) -> bool:
        """Until a channel's version differs from ``seen`` or push is lost or back (True), or
        ``timeout`` passes (False)."""
        pushing = self.pushing()
        with self._changed:
            return self._changed.wait_for(
                lambda: tuple(self._versions[c] for c in channels) != seen
                or self.pushing() != pushing, timeout)

    def pushing(self) -> bool:
        """Whether a notice from any process reaches this one now (else: read the database)."""
        return self._client is None or self._connected.is_set()

    def _bump(self, channel: str) -> None:
        with self._changed:
            self._versions[channel] += 1
            self._changed.notify_all()

    # -- publishing -------------------------------------------------------------------------
    def publish(self, channel: str) -> None:
        self._bump(channel)  # streams in this process learn at once, Redis or not
        if self._client is None:
            return
        try:
            self._client.publish(PREFIX + channel, "1")
        except redis.RedisError as exc:  # the others read the database meanwhile
            log.warning("chat notice not published (%s); streams poll the database",
                        type(exc).__name__)

    # -- the listener -----------------------------------------------------------------------
    def _listen(self) -> None:
        while True:
            try:
                pubsub = self._client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(PREFIX + "*")
                with self._changed:  # streams read once more: notices missed while away
                    self._connected.set()
                    self._changed.notify_all()
                last_ping = time.monotonic()
                while True:
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "pmessage":
                        self._bump(message["channel"].decode()[len(PREFIX):])
                    if time.monotonic() - last_ping > 5:  # notices a dead connection quickly
                        pubsub.ping()
                        last_ping = time.monotonic()
            except (redis.RedisError, OSError) as exc:
                if self._connected.is_set():
                    log.warning("chat pub/sub lost (%s); streams poll the database",
                                type(exc).__name__)
                self._connected.clear()
                with self._changed:  # waiting streams switch to polling now
                    self._changed.notify_all()
                time.sleep(1.0)


_brokers: dict[tuple[int, str], Broker] = {}
_lock = threading.Lock()


def broker() -> Broker:
    """This process's broker (made after a fork, per Redis address)."""
    key = (os.getpid(), current_app.config["REDIS_URL"])
    with _lock:
        if key not in _brokers:
            _brokers[key] = Broker(key[1])
        return _brokers[key]


def chat_channel(chat_public_id: str) -> str:
    return f"chat.{chat_public_id}"


DESK = "desk"  # the waiting room changed: someone came, left or was taken
