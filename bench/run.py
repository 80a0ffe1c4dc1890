"""The benchmark: each key page's throughput and latency as a ratio to bare Flask.

    make bench                                # full volume, SQLite and PostgreSQL
    BENCH_QUICK=1 make bench                  # a few minutes, smaller volume, same output
    BENCH_QUICK=1 BENCH_SKIP_PG=1 make bench  # SQLite only (BENCH_SKIP_SQLITE=1: PostgreSQL only)

Writes bench/results/<timestamp>.json: a list of {page, public, database, rps, p50_ms,
p99_ms, ratio}. The machine is shared and noisy: each page is measured in interleaved rounds
with the hello-world ceiling and the medians are reported. Pages whose route does not exist in
the app are left out, so the benchmark never breaks while features are added. The staff inbox
and the HR report are measured twice: at the small volume and at the full volume of cases.
At the full volume a second ceiling is measured in the same rounds: the signed-in floor
(bench/floor.py), a signed-in page of the libraries alone.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench import floor, seed, servers, wrk
from bench.sessions import Browser

RESULTS = Path(__file__).resolve().parent / "results"
QUICK = os.environ.get("BENCH_QUICK") == "1"
SECONDS = 3 if QUICK else 10
ROUNDS = 2 if QUICK else 3
# Pause before each measurement: when wrk stops, the workers are still answering the requests
# it left queued (16 connections of a slow page: up to half a second), which would otherwise
# count as the next page's latency.
SETTLE = 1.0
# The second ceiling (bench/floor.py): a signed-in page of the libraries alone.
FLOOR = "signed-in floor (libraries only)"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")


@dataclass
class Page:
    name: str
    path: str  # may name {requester_case} or {counsellor_case}
    public: bool
    login: str | None = None  # "hr", "staff", "counsellor", "admin" or "requester"
    endpoint: str = ""  # measured only when this endpoint exists
    two_volumes: bool = False


PAGES = [
    Page("landing page", "/", True, endpoint="public.index"),
    Page("package list", "/packages", True, endpoint="public.packages"),
    Page("HR home", "/hr/", False, "hr", "hr_auth.home"),
    Page("staff home", "/staff/", False, "staff", "staff_auth.home"),
    Page("requester case page", "/help/requests/{requester_case}", False, "requester",
         "requests_cases.show"),
    Page("staff inbox", "/staff/cases/", False, "staff", "counselling.inbox_list",
         two_volumes=True),
    Page("counsellor case page", "/staff/cases/{counsellor_case}", False, "counsellor",
         "counselling.show"),
    Page("HR report", "/hr/reports/", False, "hr", "reports.index", two_volumes=True),
    Page("admin figures", "/staff/figures/", False, "admin", "reports_admin.index"),
]


def available_pages() -> list[Page]:
    app = seed.bench_app("sqlite://")
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    return [page for page in PAGES if not page.endpoint or page.endpoint in endpoints]


def sign_in(base: str, kind: str, logins: dict) -> str:
    import pyotp

    browser = Browser(base)
    if kind == "hr":
        browser.submit("/hr/login", {"email": logins["hr_email"], "password": logins["password"]})
    elif kind == "requester":
        browser.submit("/help/sign-in", {"case_key": logins["requester_key"],
                                          "passphrase": logins["requester_passphrase"]})
    else:
        email, secret = logins[f"{kind}_email"], logins[f"{kind}_totp"]
        browser.submit("/staff/login", {"email": email, "password": logins["password"]})
        browser.submit("/staff/login/code", {"code": pyotp.TOTP(secret).now()})
    return browser.cookie_header()


def sign_in_floor(base: str) -> str:
    """The floor app's session cookie (it signs in its one user on a GET)."""
    browser = Browser(base)
    browser.get("/sign-in")
    cookie = browser.cookie_header()
    check_page(base + "/home", cookie)
    return cookie


def check_page(url: str, cookie: str | None) -> None:
    """The page must answer 200 itself (wrk counts a redirect to the login as a success)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", parts.path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}, not 200: check the sign-in")


def serve_and_measure(database_url: str, seeded: seed.Seeded, pages: list[Page],
                      label: str = "") -> tuple[list, dict]:
    env = {
        "EAP_DATABASE_URL": database_url,
        "EAP_SECRET_KEY": seed.SECRET_KEY,
        "EAP_DATA_KEYS": seed.DATA_KEYS,
        "EAP_LOGIN_RATE_LIMIT": "1000 per minute",
        # The sign-ins of the benchmark browsers take the no-JavaScript path of the proof of
        # work on the password step; without a wait (the pages measured are behind it).
        "EAP_POW_NOJS_WAIT": "0",
    }
    samples: dict[str, list[wrk.Measurement]] = {"hello": []}
    names = {"requester_case": seeded.requester_case,
             "counsellor_case": seeded.counsellor_case}
    floor_page = floor_cookie = None
    with contextlib.ExitStack() as stack:
        hello = stack.enter_context(servers.gunicorn("bench.hello:app", {}))
        portal = stack.enter_context(servers.gunicorn("eap:create_app()", env))
        if not label:  # the full volume: also the signed-in floor of the libraries
            floor.prepare(database_url)
            base = stack.enter_context(
                servers.gunicorn("bench.floor:app", {"FLOOR_DATABASE_URL": database_url})
            )
            floor_page, floor_cookie = base + "/home", sign_in_floor(base)
            wrk.run(floor_page, 1, cookie=floor_cookie)  # warm-up
        kinds = {page.login for page in pages if page.login}
        cookies = {}
        for kind in sorted(kinds):
            cookies[kind] = sign_in(portal, kind, seeded.logins)
            time.sleep(0.1)
        for page in pages:
            url = portal + page.path.format(**names)
            check_page(url, cookies.get(page.login))
            wrk.run(url, 1, cookie=cookies.get(page.login))  # warm-up
        for _ in range(ROUNDS):
            samples["hello"].append(wrk.run(hello + "/", SECONDS))
            if floor_page:
                time.sleep(SETTLE)
                samples.setdefault(FLOOR, []).append(
                    wrk.run(floor_page, SECONDS, cookie=floor_cookie)
                )
            for page in pages:
                url = portal + page.path.format(**names)
                time.sleep(SETTLE)
                samples.setdefault(page.name + label, []).append(
                    wrk.run(url, SECONDS, cookie=cookies.get(page.login))
                )
        if not label:  # the full volume: also one request at a time, i.e. the render time
            for page in pages:
                url = portal + page.path.format(**names)
                time.sleep(SETTLE)
                SINGLE[page.name] = wrk.run(url, SECONDS, connections=1,
                                            cookie=cookies.get(page.login))
    return samples["hello"], samples


# Per page of the running database: latency with a single connection (no queueing).
SINGLE: dict[str, wrk.Measurement] = {}


def measure(database_name: str, database_url: str) -> list[dict]:
    pages = available_pages()
    volume = seed.QUICK if QUICK else seed.FULL
    started = time.monotonic()
    seeded = seed.prepare(database_url, quick=QUICK)
    print(f"[{database_name}] seeded {seeded.cases} cases in {time.monotonic() - started:.0f} s",
          flush=True)
    rows = []
    small_pages = [page for page in pages if page.two_volumes]
    small_label = f" ({_short(seeded.cases)} cases)"
    if small_pages:
        hello, samples = serve_and_measure(database_url, seeded, small_pages, small_label)
        ceiling = statistics.median(m.rps for m in hello)
        for page in small_pages:
            rows.append(_row(page.name + small_label, page.public, database_name,
                             samples[page.name + small_label], ceiling))
    started = time.monotonic()
    seed.grow(database_url, seeded, quick=QUICK)
    print(f"[{database_name}] grew to {seeded.cases} cases in {time.monotonic() - started:.0f} s",
          flush=True)
    assert seeded.cases >= volume.cases
    hello, samples = serve_and_measure(database_url, seeded, pages)
    ceiling = statistics.median(m.rps for m in hello)
    rows.insert(0, _row("hello world", True, database_name, hello, ceiling))
    rows.insert(1, _row(FLOOR, False, database_name, samples[FLOOR], ceiling))
    for page in pages:
        name = page.name + (f" ({_short(seeded.cases)} cases)" if page.two_volumes else "")
        rows.append(_row(name, page.public, database_name, samples[page.name], ceiling))
        single = SINGLE.pop(page.name)
        SINGLE_ROWS.append({"page": name, "database": database_name,
                            "p50_ms": round(single.p50_ms, 2), "p99_ms": round(single.p99_ms, 2)})
    scale = int(os.environ.get("BENCH_SCALE_CASES", volume.scale_cases))
    if small_pages and scale > seeded.cases:
        rows += _measure_scaled(database_name, database_url, seeded, small_pages, scale)
    return rows


def _measure_scaled(database_name, database_url, seeded, pages, target) -> list[dict]:
    """The last step: the staff inbox and the HR report once more at ``target`` cases, with
    their own hello-world ceiling (the other pages do not depend on the number of cases)."""
    started = time.monotonic()
    seed.grow(database_url, seeded, quick=QUICK, target=target)
    print(f"[{database_name}] grew to {seeded.cases} cases in {time.monotonic() - started:.0f} s",
          flush=True)
    label = f" ({_short(seeded.cases)} cases)"
    hello, samples = serve_and_measure(database_url, seeded, pages, label)
    ceiling = statistics.median(m.rps for m in hello)
    return [_row(page.name + label, page.public, database_name, samples[page.name + label],
                 ceiling) for page in pages]


SINGLE_ROWS: list[dict] = []


def _short(number: int) -> str:
    if number >= 1_000_000 and number % 1_000_000 == 0:
        return f"{number // 1_000_000}M"
    return f"{number // 1000}k" if number >= 1000 else str(number)


ERRORS: dict[tuple[str, str], int] = {}


def _row(name, public, database, measurements, ceiling) -> dict:
    rps = statistics.median(m.rps for m in measurements)
    ERRORS[(name, database)] = sum(m.errors for m in measurements)
    return {
        "page": name,
        "public": public,
        "database": database,
        "rps": round(rps, 1),
        "p50_ms": round(statistics.median(m.p50_ms for m in measurements), 2),
        "p99_ms": round(statistics.median(m.p99_ms for m in measurements), 2),
        "ratio": round(rps / ceiling, 3),
    }


def _print_scaling(rows: list[dict]) -> None:
    """Target: the pages measured at several volumes slow down at most 1.5× from the smallest
    to the largest. Each volume is served and measured with its own hello-world ceiling, so the
    factor compares the ratios (a busier machine in one step does not count as a slowdown)."""
    volumes: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        page, _, rest = row["page"].partition(" (")
        if rest.endswith(" cases)"):
            volumes.setdefault((page, row["database"]), []).append(row)
    if volumes:
        print("\nfrom the smallest to the largest volume (target: at most 1.5× slower)")
    for (page, database), measured in volumes.items():
        first, last = measured[0], measured[-1]
        factor = first["ratio"] / last["ratio"] if last["ratio"] else float("inf")
        print(f"{page:<22}{database:<12}{first['page'].partition(' (')[2][:-1]:>12} → "
              f"{last['page'].partition(' (')[2][:-1]:<12}{factor:>6.2f}× "
              f"(p50 {first['p50_ms']} → {last['p50_ms']} ms)")


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench: the load generator wrk is missing; install it with "
              "`apt-get install -y wrk`", file=sys.stderr)
        return 2
    rows = []
    if os.environ.get("BENCH_SKIP_SQLITE") != "1":
        with tempfile.TemporaryDirectory() as tmp:
            rows += measure("sqlite", f"sqlite:///{tmp}/bench.sqlite")
    if os.environ.get("BENCH_SKIP_PG") != "1":
        rows += measure("postgresql", PG_URL)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(rows, indent=2))
    print(f"{'page':<34}{'db':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'errors':>8}")
    for row in rows:
        print(
            f"{row['page']:<34}{row['database']:<12}{row['rps']:>9}{row['p50_ms']:>9}"
            f"{row['p99_ms']:>9}{row['ratio']:>8}{ERRORS[(row['page'], row['database'])]:>8}"
        )
    _print_scaling(rows)
    (RESULTS / f"{stamp}-single.json").write_text(json.dumps(SINGLE_ROWS, indent=2))
    print("\none request at a time (1 connection): the render time without queueing")
    print(f"{'page':<34}{'db':<12}{'p50 ms':>9}{'p99 ms':>9}")
    for row in SINGLE_ROWS:
        print(f"{row['page']:<34}{row['database']:<12}{row['p50_ms']:>9}{row['p99_ms']:>9}")
    print(f"written to bench/results/{stamp}.json and {stamp}-single.json")
    return 1 if any(ERRORS.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
