"""Drill: Redis, which carries the chat's notices between processes, dies and comes back.

Two processes on a throwaway PostgreSQL database and a private ``redis-server``: the page
gunicorn (sync workers) takes the requester's posts, the chat gunicorn (gthread, one worker so
that only Redis can wake its stream) holds the requester's event stream. The stream is open
for the whole drill (``CHAT_STREAM_SECONDS`` longer than the drill: no reconnect helps).

Checked: with Redis, a message arrives at once (pushed); Redis killed (SIGKILL) → every
acknowledged message still arrives, by the stream reading the database every
``CHAT_POLL_SECONDS``, within a few of them; Redis started again on the same port → push is back
by itself, without restarting any process; nothing was lost or repeated.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bench import chat_stack as stack
from tests.drills.chat_rig import arrival, rig, run_in_own_loop, say, wait_for

pytestmark = pytest.mark.drill

POLL = 1.0
PUSHED = 0.5  # seconds: a pushed message arrives within this
BACK_WITHIN = 15.0  # seconds after Redis is started again


def test_chat_polls_while_redis_is_down_and_pushes_again_when_it_is_back(tmp_path):
    with rig(tmp_path, chats=1, chat_workers=1, pages=True,
             CHAT_POLL_SECONDS=POLL, CHAT_STREAM_SECONDS=300) as setup:
        run_in_own_loop(lambda: _drill(setup))


async def _deliver(session, setup, stream, body: str, within: float) -> float:
    """Post ``body`` through the page gunicorn; the seconds until it arrived on the stream."""
    chat = setup.seeded.chats[0]
    status, started = await say(session, setup.url(setup.pages), setup, chat, body)
    assert status == 200, status
    assert await wait_for(lambda: arrival(stream, body) is not None, within + 5), (
        f"{body!r} did not arrive; errors {stream.errors}")
    return arrival(stream, body) - started


async def _drill(setup) -> None:
    chat = setup.seeded.chats[0]
    sent: list[str] = []
    async with stack.client_session() as session:
        stream = stack.EventStream(session, setup.url(setup.chat[0]), chat,
                                   setup.seeded.cookies[chat])
        stream.start()
        try:
            await asyncio.wait_for(stream.opened.wait(), 20)
            # 1. Redis up: pushed.
            for n in range(3):
                sent.append(f"vorher {n}")
                delay = await _deliver(session, setup, stream, sent[-1], PUSHED)
                assert delay < PUSHED, f"not pushed with Redis up: {delay:.2f} s"
                await asyncio.sleep(0.2)

            # 2. Redis down: polled from the database, within a few CHAT_POLL_SECONDS.
            setup.redis.kill()
            await asyncio.sleep(0.5)
            polled = []
            for n in range(5):
                sent.append(f"ohne Redis {n}")
                polled.append(await _deliver(session, setup, stream, sent[-1], 3 * POLL))
                await asyncio.sleep(0.3)
            assert max(polled) < 3 * POLL, polled

            # 3. Redis back on the same port: push again, no restart.
            setup.redis.start()
            back_at, delay, n = time.monotonic(), None, 0
            while True:
                sent.append(f"danach {n}")
                delay = await _deliver(session, setup, stream, sent[-1], 3 * POLL)
                if delay < PUSHED:
                    break
                assert time.monotonic() - back_at < BACK_WITHIN, "push did not come back"
                n += 1
                await asyncio.sleep(0.3)
            back = time.monotonic() - back_at
            pushed = []
            for n in range(5):
                sent.append(f"wieder gepusht {n}")
                pushed.append(await _deliver(session, setup, stream, sent[-1], PUSHED))
                await asyncio.sleep(0.2)
        finally:
            await stream.stop()
    print(f"polled delays {[round(d, 2) for d in polled]} s; push back {back:.1f} s after the "
          f"restart; then {[round(d, 3) for d in pushed]} s")
    assert max(pushed) < PUSHED, pushed
    assert stream.bodies() == sent  # nothing lost, nothing twice
    assert len(stream.connects) == 1, "the stream was reconnected: the drill proves nothing"
