"""Drill: two app hosts, one chat — a message sent through one host reaches a stream on the other.

Two chat gunicorns (gthread, one worker each, as on two machines behind nginx's two ``server``
lines) share a throwaway PostgreSQL database and a private ``redis-server``. The requester's
stream is open on both hosts at once (as two browser tabs that nginx sent to different hosts);
messages are posted alternately through host A and host B. ``CHAT_STREAM_SECONDS`` is far
longer than the drill, so only a pushed notice (Redis pub/sub) can bring a message in time:
the stream's own end-and-reconnect would take minutes.

Checked: every message reaches the stream on the other host (and the one on its own host)
within 1 s, in order, once.
"""

from __future__ import annotations

import asyncio

import pytest

from bench import chat_stack as stack
from tests.drills.chat_rig import arrival, rig, run_in_own_loop, say, wait_for

pytestmark = pytest.mark.drill

MESSAGES = 10
WITHIN = 1.0


def test_a_message_sent_through_one_host_reaches_a_stream_on_the_other(tmp_path):
    with rig(tmp_path, chats=1, chat_hosts=2, chat_workers=1,
             CHAT_STREAM_SECONDS=600, CHAT_POLL_SECONDS=30) as setup:
        run_in_own_loop(lambda: _drill(setup))


async def _drill(setup) -> None:
    chat = setup.seeded.chats[0]
    hosts = [setup.url(host) for host in setup.chat]
    sent, delays = [], []
    async with stack.client_session() as session:
        streams = [stack.EventStream(session, host, chat, setup.seeded.cookies[chat])
                   for host in hosts]
        for stream in streams:
            stream.start()
        try:
            await asyncio.wait_for(asyncio.gather(*(s.opened.wait() for s in streams)), 20)
            for n in range(MESSAGES):
                through = n % 2
                body = f"über Host {'AB'[through]}: {n}"
                status, started = await say(session, hosts[through], setup, chat, body)
                assert status == 200, status
                sent.append(body)
                other = streams[1 - through]
                assert await wait_for(lambda: arrival(other, body) is not None, WITHIN + 3), (
                    f"{body!r} never reached the other host's stream")
                delays.append(arrival(other, body) - started)
                await asyncio.sleep(0.1)
            assert await wait_for(lambda: all(s.bodies() == sent for s in streams), 3)
        finally:
            for stream in streams:
                await stream.stop()
    print(f"other host's stream: {[round(d, 3) for d in delays]} s")
    assert max(delays) < WITHIN, delays
    assert all(len(s.connects) == 1 for s in streams), "a stream reconnected"
