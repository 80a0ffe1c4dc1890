"""The live chat's drills run the real stack (bench/chat_stack.py): a throwaway PostgreSQL
database, a private ``redis-server``, chat gunicorns (gthread, as deploy/systemd/eap-chat.service)
and, where it matters, the page gunicorn and nginx with deploy/nginx/eap.conf.

Like the other drills: a missing PostgreSQL, redis-server or nginx is a skip on a developer's
machine and a failure under ``CI=true``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench import chat_stack as stack
from tests.drills.conftest import require_pg, require_tool


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {what}")
    pytest.skip(what)


@dataclass
class Rig:
    seeded: stack.Seeded
    redis: stack.PrivateRedis
    chat: list[stack.Gunicorn] = field(default_factory=list)
    pages: stack.Gunicorn | None = None
    nginx: stack.Nginx | None = None

    @property
    def base(self) -> str:
        """Where browsers go: nginx, else the first chat gunicorn (it serves every route)."""
        port = self.nginx.port if self.nginx else self.chat[0].port
        return f"http://127.0.0.1:{port}"

    def url(self, server: stack.Gunicorn) -> str:
        return f"http://127.0.0.1:{server.port}"


@contextlib.contextmanager
def rig(tmp_path: Path, chats: int = 1, chat_hosts: int = 1, chat_workers: int = 2,
        pages: bool = False, nginx: bool = False, **settings):
    """The stack of one drill; ``settings`` become ``EAP_<NAME>`` of every app process."""
    server = require_pg()
    require_tool("redis-server")
    if nginx and not stack.nginx_binary():
        _missing("nginx is not installed (.ci/run installs nginx-light)")
    with contextlib.ExitStack() as cleanup:
        database = cleanup.enter_context(stack.fresh_database(
            "drill_chat", server.render_as_string(hide_password=False)))
        redis = stack.PrivateRedis()
        cleanup.callback(redis.destroy)
        redis.start()
        seeded = stack.seed(database, chats)
        public = stack.free_port()
        env = stack.app_env(database, redis.url, public, **settings)
        result = Rig(seeded=seeded, redis=redis)
        for n in range(chat_hosts):
            host = stack.Gunicorn("eap-chat.service", env, tmp_path / f"chat{n}.log",
                                  workers=str(chat_workers))
            cleanup.callback(host.stop)
            result.chat.append(host)
        if pages:
            result.pages = stack.Gunicorn("eap-gunicorn.service", env, tmp_path / "pages.log",
                                          workers="2")
            cleanup.callback(result.pages.stop)
            result.pages.wait_ready(2)
        for host in result.chat:
            host.wait_ready(chat_workers)
        if nginx:
            result.nginx = stack.Nginx([result.pages.port] if result.pages else
                                       [result.chat[0].port], [h.port for h in result.chat])
            cleanup.callback(result.nginx.stop)
        yield result


async def wait_for(condition, timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(step)
    return True


def arrival(stream: stack.EventStream, body: str) -> float | None:
    """When ``body`` arrived on the stream (monotonic), or None."""
    import json

    for event in stream.events:
        if event.kind == "message" and json.loads(event.data)["body"] == body:
            return event.at
    return None


async def say(session, base: str, rig_: Rig, chat: str, body: str) -> tuple[int, float]:
    """Post ``body`` as the chat's requester; (status, monotonic time the post started)."""
    started = time.monotonic()
    status = await stack.send(session, base, chat, rig_.seeded.cookies[chat],
                              rig_.seeded.csrf[chat], body)
    return status, started


def run_in_own_loop(make_coroutine) -> None:
    """``asyncio.run(make_coroutine())`` in a thread of its own: after the browser tests the
    main thread may still hold Playwright's running event loop, where ``asyncio.run`` refuses
    to start. The coroutine is made inside the thread, so none is left un-awaited."""
    import asyncio
    import threading

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(make_coroutine())
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            failure.append(error)

    thread = threading.Thread(target=run, name="drill-event-loop")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
