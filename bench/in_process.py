"""Each benchmark page's cost in process, without gunicorn and wrk: Python calls per request
(cProfile; exact, the same on every run) and milliseconds per request (the fastest of seven
batches of twenty; varies with the machine's load).

    .venv/bin/python -m bench.in_process /tmp/bench.sqlite   # seeds it on the first run

The file is seeded once with the ``BENCH_QUICK`` volume (10k cases) and reused, so two source
trees (before and after a change) can be measured on the same data: run the module from each.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import re
import sys
import time
from pathlib import Path

from bench import run, seed

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BATCHES, PER_BATCH = 7, 20


def _submit(client, path: str, fields: dict) -> None:
    token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
    client.post(path, data={"csrf_token": token, **fields})


def _signed_in(app, kind: str, logins: dict):
    import pyotp

    client = app.test_client()
    if kind == "hr":
        _submit(client, "/hr/login", {"email": logins["hr_email"], "password": logins["password"]})
    elif kind == "requester":
        _submit(client, "/help/sign-in", {"case_key": logins["requester_key"],
                                          "passphrase": logins["requester_passphrase"]})
    else:
        _submit(client, "/staff/login", {"email": logins[f"{kind}_email"],
                                         "password": logins["password"]})
        _submit(client, "/staff/login/code", {"code": pyotp.TOTP(logins[f"{kind}_totp"]).now()})
    return client


def _seeded(path: Path) -> dict:
    url, saved = f"sqlite:///{path}", path.with_suffix(".json")
    if not saved.exists():
        seeded = seed.prepare(url, quick=True)
        seed.grow(url, seeded, quick=True)
        saved.write_text(json.dumps({"logins": seeded.logins,
                                     "requester_case": seeded.requester_case,
                                     "counsellor_case": seeded.counsellor_case}))
    return json.loads(saved.read_text())


def main(path: Path) -> None:
    info = _seeded(path)
    app = seed.bench_app(f"sqlite:///{path}")
    app.config["RATELIMIT_ENABLED"] = False
    clients = {None: app.test_client()}
    for page in run.available_pages():
        if page.login not in clients:
            clients[page.login] = _signed_in(app, page.login, info["logins"])
        client = clients[page.login]
        url = page.path.format(requester_case=info["requester_case"],
                               counsellor_case=info["counsellor_case"])
        for _ in range(5):  # warm-up (and the public pages' cache)
            assert client.get(url).status_code == 200, page.name
        profile = cProfile.Profile()
        profile.enable()
        client.get(url)
        profile.disable()
        best = float("inf")
        for _ in range(BATCHES):
            started = time.perf_counter()
            for _ in range(PER_BATCH):
                client.get(url)
            best = min(best, (time.perf_counter() - started) / PER_BATCH)
        print(f"{page.name:<24}{pstats.Stats(profile).total_calls:>9} calls{best * 1000:>8.2f} ms",
              flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
