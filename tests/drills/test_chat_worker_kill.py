"""Drill: the chat worker that holds a requester's event stream is killed (SIGKILL) mid-chat.

The stack as deployed: nginx (deploy/nginx/eap.conf) in front of the page gunicorn and of the
threaded chat gunicorn with two workers (deploy/systemd/eap-chat.service), Redis pub/sub, a
throwaway PostgreSQL database. A client reads the chat's stream through nginx like a browser's
EventSource (it reconnects after the server's ``retry:`` with ``Last-Event-ID``) while messages
are posted through nginx every 100 ms. The worker holding the stream (found by its established
connection on the chat port) is killed with SIGKILL.

Checked: every message whose POST was answered with 2xx reaches the client, exactly once and in
order; the client was connected again within 5 s of the kill; the killed worker was replaced.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from bench import chat_stack as stack
from tests.drills.chat_rig import rig, run_in_own_loop, say, wait_for

pytestmark = pytest.mark.drill

MESSAGES = 40
KILL_AFTER = 12  # messages sent before the kill
RECONNECT_WITHIN = 5.0


def test_killing_the_streams_worker_loses_no_acknowledged_message(tmp_path):
    with rig(tmp_path, chats=1, chat_workers=2, pages=True, nginx=True) as setup:
        run_in_own_loop(lambda: _drill(setup))


async def _drill(setup) -> None:
    chat = setup.seeded.chats[0]
    host = setup.chat[0]
    async with stack.client_session() as session:
        stream = stack.EventStream(session, setup.base, chat, setup.seeded.cookies[chat])
        stream.start()
        try:
            await asyncio.wait_for(stream.opened.wait(), 20)
            holders = [pid for pid in host.workers()
                       if stack.established_from(pid, host.port) > 0]
            assert len(holders) == 1, f"expected one worker holding the stream: {holders}"
            victim = holders[0]

            acknowledged, killed_at = [], None
            for n in range(MESSAGES):
                body = f"Nachricht {n}"
                status, _ = await say(session, setup.base, setup, chat, body)
                if 200 <= status < 300:
                    acknowledged.append(body)
                if n == KILL_AFTER:
                    os.kill(victim, signal.SIGKILL)
                    killed_at = time.monotonic()
                await asyncio.sleep(0.1)

            assert await wait_for(lambda: set(acknowledged) <= set(stream.bodies()), 15), (
                f"lost: {sorted(set(acknowledged) - set(stream.bodies()))}; "
                f"errors: {stream.errors}")
        finally:
            await stream.stop()

    assert len(acknowledged) == MESSAGES, "posts go to the page gunicorn: none may fail"
    assert stream.bodies() == acknowledged  # exactly once, in order (Last-Event-ID)
    assert stream.breaks and stream.breaks[0] >= killed_at, "the stream did not break"
    again = [moment for moment in stream.connects if moment > killed_at]
    assert again, "the client never got its stream back"
    print(f"stream back {again[0] - killed_at:.2f} s after the kill; errors seen: {stream.errors}")
    assert again[0] - killed_at < RECONNECT_WITHIN, f"back after {again[0] - killed_at:.1f} s"
    assert victim not in host.workers() and len(host.workers()) == 2
