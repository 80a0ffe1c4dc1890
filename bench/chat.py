"""The live chat's benchmark: 200 open event streams through nginx, message delivery latency,
memory per open stream.

    make bench-chat                                 # 200 streams, 20 messages/s for 20 s
    BENCH_CHAT_STREAMS=50 BENCH_CHAT_SECONDS=5 make bench-chat   # a smoke run

What runs (bench/chat_stack.py): a fresh PostgreSQL database (``BENCH_PG_SERVER``, default the
local server), the page gunicorn and the chat gunicorn with the flags of their shipped units
(deploy/systemd/eap-gunicorn.service, eap-chat.service: gthread, 2 workers × 150 threads), Redis
pub/sub (``BENCH_CHAT_REDIS_URL``, default db 14 of the local server) and nginx with
``deploy/nginx/eap.conf`` as shipped but for ports and paths.

Seeded through the app's services: an organisation with a contract and an access code,
counsellors open for chats (10 chats each), and one active chat per stream, each with its own
signed-in requester (a session cookie made by the app's session interface).

Measured: every requester opens ``/help/chat/<id>/events`` through nginx (asyncio + aiohttp,
reconnecting with ``Last-Event-ID`` like a browser); then messages are posted through nginx to
``/help/chat/<id>/send`` (the page gunicorn, with the form's CSRF token) at a steady rate, to
the chats in turn, and the time from the start of the POST to the message's arrival on the
chat's stream is the delivery latency (targets: p95 < 300 ms, p99 < 1 s). Memory: the RSS of
the chat gunicorn's workers (and of nginx's worker, and Redis's ``used_memory``) with 0 and with
all streams open, the difference divided by the number of streams.

Writes bench/results/<timestamp>-chat.json; exits 1 if a message was lost or a stream did not
open.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import chat_stack as stack

RESULTS = Path(__file__).resolve().parent / "results"
STREAMS = int(os.environ.get("BENCH_CHAT_STREAMS", "200"))
SECONDS = float(os.environ.get("BENCH_CHAT_SECONDS", "20"))
RATE = float(os.environ.get("BENCH_CHAT_RATE", "20"))  # messages per second, all chats together
IN_FLIGHT = 8  # posts at the same time at most (the page gunicorn has 4 sync workers)
PG_SERVER = os.environ.get("BENCH_PG_SERVER", stack.PG_SERVER)
REDIS_URL = os.environ.get("BENCH_CHAT_REDIS_URL", "redis://127.0.0.1:6379/14")
CHAT_WORKERS = 2  # as deploy/systemd/eap-chat.service


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def redis_memory(url: str) -> tuple[int, int]:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        info = client.info()
        return int(info["used_memory"]), int(info["connected_clients"])
    finally:
        client.close()


def memory(chat: stack.Gunicorn, web: stack.Nginx) -> dict:
    workers = chat.workers()
    used, clients = redis_memory(REDIS_URL)
    return {
        "chat_workers_rss_kib": [stack.rss_kib(pid) for pid in workers],
        "chat_workers_threads": [stack.threads(pid) for pid in workers],
        "chat_workers_streams": [stack.established_from(pid, chat.port) for pid in workers],
        "nginx_worker_rss_kib": sum(stack.rss_kib(pid) for pid in web.workers()),
        "redis_used_memory_bytes": used,
        "redis_clients": clients,
    }


async def measure(base: str, seeded: stack.Seeded, chat: stack.Gunicorn,
                  web: stack.Nginx) -> dict:
    arrived: dict[int, float] = {}

    def on_event(event: stack.Event) -> None:
        if event.kind == "message":
            found = stack.TOKEN.search(event.data)
            if found:
                arrived.setdefault(int(found.group(1)), event.at)

    async with stack.client_session() as session:
        # Warm-up: one stream opened and closed, so that the workers have loaded every module
        # a stream uses before the baseline is taken.
        first = seeded.chats[0]
        probe = stack.EventStream(session, base, first, seeded.cookies[first])
        probe.start()
        await asyncio.wait_for(probe.opened.wait(), 30)
        await probe.stop()
        await asyncio.sleep(2)
        before = memory(chat, web)

        streams = []
        started = time.monotonic()
        for public_id in seeded.chats:
            stream = stack.EventStream(session, base, public_id, seeded.cookies[public_id])
            stream.on_event = on_event
            stream.start()
            streams.append(stream)
        try:
            await asyncio.wait_for(asyncio.gather(*(s.opened.wait() for s in streams)), 60)
        except TimeoutError:
            pass
        opened = sum(s.opened.is_set() for s in streams)
        open_seconds = time.monotonic() - started
        print(f"{opened}/{len(streams)} streams open after {open_seconds:.1f} s", flush=True)
        await asyncio.sleep(3)
        during = memory(chat, web)

        sent: dict[int, float] = {}
        statuses: dict[int, int] = {}
        post_ms: list[float] = []
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def one(n: int) -> None:
            public_id = seeded.chats[n % len(seeded.chats)]
            async with gate:
                moment = time.monotonic()
                sent[n] = moment
                try:
                    statuses[n] = await stack.send(
                        session, base, public_id, seeded.cookies[public_id],
                        seeded.csrf[public_id], f"Bench-Nachricht #{n}# {'x' * 60}")
                except Exception as error:  # noqa: BLE001 - counted as a failed post
                    statuses[n] = 0
                    print(f"post {n}: {error!r}", file=sys.stderr)
                post_ms.append((time.monotonic() - moment) * 1000)

        tasks = []
        total = int(SECONDS * RATE)
        begin = time.monotonic()
        for n in range(total):
            await asyncio.sleep(max(0.0, begin + n / RATE - time.monotonic()))
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        deadline = time.monotonic() + 10
        acknowledged = [n for n, status in statuses.items() if status == 200]
        while time.monotonic() < deadline and not all(n in arrived for n in acknowledged):
            await asyncio.sleep(0.1)
        after = memory(chat, web)
        reconnects = sum(max(0, len(s.connects) - 1) for s in streams)
        errors = [e for s in streams for e in s.errors]
        for stream in streams:
            await stream.stop()

    latencies = [(arrived[n] - sent[n]) * 1000 for n in acknowledged if n in arrived]
    lost = [n for n in acknowledged if n not in arrived]
    base_rss, open_rss = sum(before["chat_workers_rss_kib"]), sum(during["chat_workers_rss_kib"])
    return {
        "streams": len(streams), "streams_open": opened, "open_seconds": round(open_seconds, 2),
        "messages": total, "acknowledged": len(acknowledged), "delivered": len(latencies),
        "lost": len(lost), "post_errors": total - len(acknowledged),
        "rate_per_s": RATE, "seconds": SECONDS,
        "latency_ms": {"p50": round(percentile(latencies, 0.50), 1),
                       "p95": round(percentile(latencies, 0.95), 1),
                       "p99": round(percentile(latencies, 0.99), 1),
                       "max": round(max(latencies), 1) if latencies else None,
                       "mean": round(statistics.fmean(latencies), 1) if latencies else None},
        "post_ms": {"p50": round(percentile(post_ms, 0.5), 1),
                    "p95": round(percentile(post_ms, 0.95), 1),
                    "p99": round(percentile(post_ms, 0.99), 1)},
        "memory": {"no_streams": before, "streams_open": during, "after_messages": after,
                   "chat_kib_per_stream": round((open_rss - base_rss) / max(1, opened), 1),
                   "nginx_kib_per_stream": round(
                       (during["nginx_worker_rss_kib"] - before["nginx_worker_rss_kib"])
                       / max(1, opened), 1),
                   "redis_bytes_difference": during["redis_used_memory_bytes"]
                   - before["redis_used_memory_bytes"]},
        "reconnects": reconnects, "stream_errors": errors[:10],
    }


def main() -> int:
    problem = stack.pg_answers(PG_SERVER)
    if problem:
        print(f"bench-chat: PostgreSQL does not answer: {problem}", file=sys.stderr)
        return 2
    if not stack.nginx_binary():
        print("bench-chat: nginx is missing; install it with `apt-get install -y nginx-light`",
              file=sys.stderr)
        return 2
    redis_memory(REDIS_URL)  # fails loudly when Redis is not there
    logs = Path(tempfile.mkdtemp(prefix="eap-bench-chat-"))
    with contextlib.ExitStack() as cleanup:
        database = cleanup.enter_context(stack.fresh_database("bench_chat", PG_SERVER))
        started = time.monotonic()
        seeded = stack.seed(database, STREAMS)
        print(f"seeded {len(seeded.chats)} active chats in {time.monotonic() - started:.1f} s",
              flush=True)
        public = stack.free_port()
        env = stack.app_env(database, REDIS_URL, public)
        pages = stack.Gunicorn("eap-gunicorn.service", env, logs / "pages.log")
        cleanup.callback(pages.stop)
        chat = stack.Gunicorn("eap-chat.service", env, logs / "chat.log")
        cleanup.callback(chat.stop)
        pages.wait_ready(1)
        chat.wait_ready(CHAT_WORKERS)
        web = stack.Nginx([pages.port], [chat.port])
        cleanup.callback(web.stop)
        base = f"http://127.0.0.1:{web.port}"
        result = asyncio.run(measure(base, seeded, chat, web))
    result.update({
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, {platform.machine()}, "
                   f"load {os.getloadavg()[0]:.1f}",
        "command": " ".join(f"{k}={os.environ[k]}" for k in
                            ("BENCH_CHAT_STREAMS", "BENCH_CHAT_SECONDS", "BENCH_CHAT_RATE")
                            if k in os.environ) + " python -m bench.chat",
        "chat_gunicorn": " ".join(stack.unit_command("eap-chat.service", 8001)[3:]),
    })
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{stamp}-chat.json").write_text(json.dumps(result, indent=2))
    latency, mem = result["latency_ms"], result["memory"]
    per_worker = mem["streams_open"]["chat_workers_streams"]
    print(f"streams open: {result['streams_open']}/{result['streams']} "
          f"(in {result['open_seconds']} s; per worker {per_worker})")
    print(f"messages: {result['acknowledged']} acknowledged of {result['messages']}, "
          f"{result['delivered']} delivered, {result['lost']} lost")
    print(f"delivery latency ms: p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}"
          f"  max {latency['max']}   (targets: p95 < 300, p99 < 1000)")
    print(f"post ms: {result['post_ms']}")
    print(f"chat workers RSS KiB: {mem['no_streams']['chat_workers_rss_kib']} → "
          f"{mem['streams_open']['chat_workers_rss_kib']}: {mem['chat_kib_per_stream']} KiB "
          f"per stream; nginx {mem['nginx_kib_per_stream']} KiB per stream; Redis "
          f"{mem['redis_bytes_difference']} bytes difference")
    print(f"written to bench/results/{stamp}-chat.json")
    ok = result["lost"] == 0 and result["streams_open"] == result["streams"] \
        and result["post_errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
