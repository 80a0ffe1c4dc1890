"""Drill: PostgreSQL stops in the middle of a write load and comes back.

Nothing on the shared server is touched: the drill starts its own throwaway PostgreSQL cluster
(``initdb`` into a temporary folder, its own port, run as the ``postgres`` user when the tests
run as root), serves the portal over real HTTP (werkzeug's threaded server, as in a browser
test) and lets two requesters send help requests while the cluster is killed
(``pg_ctl stop -m immediate``, like a crash: recovery from the WAL on restart) and restarted.

Checked: while it is down every answer is the friendly error page with 503 and ``Retry-After``,
without a traceback (after a form was sent: "check whether it arrived"); ``/readyz`` says the
database is not ok (503) while ``/healthz`` still answers 200; afterwards the portal recovers
by itself (``pool_pre_ping``) without a restart; every
request that was acknowledged (redirect to its confirmation page) is in the database and
decryptable.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from eap.extensions import db
from tests.conftest import make_test_app
from tests.drills.conftest import dispose, organisation_with_code
from tests.requests.conftest import KEY_RE, PASSPHRASE, REQUEST

pytestmark = pytest.mark.drill

PG_BIN = Path(os.environ.get("EAP_DRILL_PG_BIN", "/usr/lib/postgresql/15/bin"))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
NONCE = re.compile(r'name="nonce"[^>]*value="([^"]+)"')
WRITES_PER_REQUESTER = 14  # acknowledged writes each
STOP_AFTER = 10  # acknowledged writes before the crash
DOWN_SECONDS = 3.0


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A private PostgreSQL cluster in a temporary folder."""

    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"CI=true but {PG_BIN}/initdb is missing")
            pytest.skip(f"{PG_BIN}/initdb is missing")
        self.root = Path(tempfile.mkdtemp(prefix="eap-drill-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        subprocess.run([*self.prefix, *command], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--no-instructions")
        self.start()
        self.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "eap")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c shared_buffers=16MB -c max_connections=30")
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                 "-l", str(self.root / "log"), "-w", "-t", "30", "start")

    def crash(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run([*self.prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.data),
                            "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/eap"


class Visitor:
    """A browser: keeps the cookie, follows no redirect, never raises on an error status."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, fields: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return response.status, response.headers.get("Location", ""), text
        finally:
            connection.close()

    def submit(self, path: str, fields: dict, page: str | None = None):
        status, _, text = self.call("GET", page or path)
        if status != 200:
            return status, "", text
        return self.call("POST", path, {"csrf_token": CSRF.search(text).group(1), **fields})


def _sign_up(visitor: Visitor, code: str) -> None:
    status, _, _ = visitor.submit("/language", {"lang": "en", "next": "/help/access"},
                                  page="/help/")
    assert status == 302
    status, location, _ = visitor.submit("/help/access", {"code": code})
    assert status == 302, location
    page = visitor.call("GET", "/help/account/new")[2]
    assert KEY_RE.search(page)
    assert visitor.submit("/help/account/new", {"saved": "y"})[0] == 302
    status, _, text = visitor.submit(
        "/help/account/passphrase",
        {"requester_type": "employee", "passphrase": PASSPHRASE, "confirm": PASSPHRASE},
    )
    assert status == 302, text[:500]


def _friendly(status: int, text: str) -> None:
    assert status == 503, status
    assert "Traceback" not in text and "psycopg" not in text and "OperationalError" not in text
    assert "<html" in text.lower()


class Writer(threading.Thread):
    def __init__(self, visitor: Visitor, name: str):
        super().__init__(daemon=True)
        self.visitor = visitor
        self.label = name
        self.acknowledged: dict[str, str] = {}  # public id -> description
        self.failures: list[tuple[int, str]] = []
        self.unexpected: list[str] = []

    def run(self) -> None:
        # Failed attempts do not count: each writer goes on until WRITES_PER_REQUESTER writes
        # were acknowledged (or a minute has passed), however long the restart takes.
        deadline, n = time.monotonic() + 60, 0
        while len(self.acknowledged) < WRITES_PER_REQUESTER and time.monotonic() < deadline:
            n += 1
            description = f"{self.label} request {n}: {os.urandom(4).hex()}"
            try:
                status, _, page = self.visitor.call("GET", "/help/requests/new?danger=no")
                if status != 200:
                    self.failures.append((status, page))
                    time.sleep(0.25)
                    continue
                data = {**REQUEST, "description": description, "acute_danger": "no",
                        "csrf_token": CSRF.search(page).group(1),
                        "nonce": NONCE.search(page).group(1)}
                status, location, text = self.visitor.call("POST", "/help/requests/new", data)
            except Exception as error:  # noqa: BLE001 - a dropped connection is a failure
                self.unexpected.append(repr(error))
                continue
            if status == 302 and location.rstrip("/").endswith("/sent"):
                self.acknowledged[location.rstrip("/").split("/")[-2]] = description
            else:
                self.failures.append((status, text))
                time.sleep(0.25)


def _outage_seen_by_health_checks(port: int) -> None:
    """While the database is down: 503 with Retry-After, /readyz not ready, /healthz alive."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/packages?outage")
        answer = connection.getresponse()
        _friendly(answer.status, answer.read().decode())
        assert int(answer.headers["Retry-After"]) > 0
        connection.request("GET", "/readyz")
        answer = connection.getresponse()
        assert answer.status == 503
        assert json.loads(answer.read())["checks"]["database"] == "not ok"
        connection.request("GET", "/healthz")
        answer = connection.getresponse()
        assert answer.status == 200
        answer.read()
    finally:
        connection.close()


def test_postgres_crash_and_restart_during_writes(tmp_path):
    cluster = Cluster()
    try:
        _drill(cluster, tmp_path)
    finally:
        cluster.destroy()  # whatever happened: no cluster is left running


def _drill(cluster: Cluster, tmp_path) -> None:
    cluster.init()
    app = make_test_app(cluster.url, str(tmp_path), TESTING=False, SERVER_NAME=None,
                        PUBLIC_BASE_URL="http://127.0.0.1")
    with app.app_context():
        db.create_all()
    _org, code = organisation_with_code(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        writers = []
        for name in ("anna", "ben"):
            visitor = Visitor(server.port)
            _sign_up(visitor, code)
            writers.append(Writer(visitor, name))
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 30
        while sum(len(w.acknowledged) for w in writers) < STOP_AFTER:
            assert time.monotonic() < deadline, "no writes got through before the crash"
            time.sleep(0.05)

        sender = Visitor(server.port)  # a form opened before the crash, sent during it
        assert sender.call("GET", "/language/en")[0] == 302
        token = CSRF.search(sender.call("GET", "/hr/login")[2]).group(1)
        cluster.crash()
        down_at = time.monotonic()
        probe = Visitor(server.port)
        probe.cookies = dict(writers[0].visitor.cookies)
        status, _, text = probe.call("GET", "/help/requests/")
        _friendly(status, text)
        _outage_seen_by_health_checks(server.port)
        status, _, text = sender.call("POST", "/hr/login", {
            "csrf_token": token, "email": "hr@example.org", "password": "a long passphrase"})
        _friendly(status, text)
        assert "check whether it arrived" in text  # no promise that nothing was stored
        time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - down_at)))
        cluster.start()

        for writer in writers:
            writer.join(120)
            assert not writer.is_alive()
        # Recovered by itself: a fresh page works without restarting the portal.
        status, _, _ = probe.call("GET", "/help/requests/")
        assert status == 200
    finally:
        server.shutdown()
        thread.join(10)

    acknowledged = {k: v for w in writers for k, v in w.acknowledged.items()}
    failures = [f for w in writers for f in w.failures]
    assert not [u for w in writers for u in w.unexpected]
    assert failures, "the crash went unnoticed: was the database really down?"
    for status, text in failures:
        _friendly(status, text)
    assert len(acknowledged) > STOP_AFTER, "no write succeeded after the restart"

    from eap.requests.models import HelpRequest

    with app.app_context():
        # Whole rows: each ciphertext is bound to its row's public id (issue 14).
        stored = {case.public_id: case.description
                  for case in db.session.scalars(sa.select(HelpRequest))}
    missing = set(acknowledged) - set(stored)
    assert not missing, f"{len(missing)} acknowledged write(s) lost"
    for public_id, description in acknowledged.items():
        assert stored[public_id] == description
    dispose(app)
