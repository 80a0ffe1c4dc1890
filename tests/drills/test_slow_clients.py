"""Drill: 50 slow clients do not stop the site — because gunicorn sits behind nginx.

gunicorn's sync workers (the portal's production setup) each serve one connection at a time,
reading the request as slowly as the client sends it: a handful of clients trickling their
headers block every worker. The portal therefore requires a buffering reverse proxy in front
(docs/operations.md, "Slow clients"); ``eap.gunicorn_conf`` refuses to listen on a public
address without it, and this drill checks the chosen setup for real:

1. gunicorn alone (2 sync workers): 2 slow clients, and a normal request gets no answer;
2. nginx (a private instance on its own port, with ``deploy/nginx/eap.conf`` as shipped but
   without TLS) in front of the same gunicorn: 50 slow clients — half trickling their headers,
   half a form body — and every normal request through nginx still answers at once.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from eap.extensions import db
from tests.conftest import make_test_app
from tests.drills.conftest import dispose

pytestmark = pytest.mark.drill

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 50
WORKERS = 2
PROBES = 10
FAST_ENOUGH = 2.0  # seconds for a normal request while the slow clients trickle

DEPLOYED_CONF = ROOT / "deploy" / "nginx" / "eap.conf"
# The main configuration around deploy/nginx/eap.conf for a private, unprivileged instance.
NGINX_MAIN = """
daemon off;
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {root}/eap.conf;
}}
"""


def _site_conf(root: Path, port: int, upstream: int) -> str:
    """deploy/nginx/eap.conf as shipped, but on a free port without TLS, logging into ``root``."""
    text = DEPLOYED_CONF.read_text()
    for shipped, drill in (("listen 443 ssl http2;", f"listen 127.0.0.1:{port};"),
                           ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
                           ("/var/log/nginx/", f"{root}/")):
        assert shipped in text, f"deploy/nginx/eap.conf no longer has {shipped!r}"
        text = text.replace(shipped, drill)
    return text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if _get(port, "/healthz", timeout=2) == 200:
                return
        except OSError:
            pass
        tail = log.read_text()[-2000:] if log and log.exists() else ""
        assert time.monotonic() < deadline, f"{what} did not start\n{tail}"
        time.sleep(0.2)


def _get(port: int, path: str, timeout: float) -> int:
    """One ordinary request (HTTP/1.0, closed afterwards); the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = b""
        while b"\r\n" not in head:
            chunk = connection.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


class SlowClients:
    """Connections that send their request one byte at a time and never finish it."""

    def __init__(self, port: int, count: int):
        self.sockets = []
        for n in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            if n % 2:
                start = (b"POST /hr/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 100000\r\n\r\nemail=")
            else:
                start = b"GET /help/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            connection.sendall(start)
            self.sockets.append(connection)

    def trickle(self) -> None:
        for connection in self.sockets:
            try:
                connection.send(b"a")
            except OSError:
                pass  # the server may give up on a client: that is allowed

    def close(self) -> None:
        for connection in self.sockets:
            connection.close()


def _probe_while_trickling(port: int, slow: SlowClients, probes: int = PROBES
                           ) -> list[float | str]:
    """``probes`` normal requests, the slow clients sending a byte between them; the seconds each
    took (or what went wrong)."""
    results: list[float | str] = []
    for n in range(probes):
        slow.trickle()
        started = time.monotonic()
        try:
            status = _get(port, "/healthz" if n % 2 else "/help/", timeout=FAST_ENOUGH)
            results.append(time.monotonic() - started if status == 200 else f"status {status}")
        except OSError as error:
            results.append(f"{type(error).__name__} after {time.monotonic() - started:.1f} s")
        time.sleep(0.3)
    return results


@pytest.fixture
def gunicorn(tmp_path):
    url = f"sqlite:///{tmp_path / 'eap.sqlite'}"
    setup = make_test_app(url, str(tmp_path / "setup"))
    with setup.app_context():
        db.create_all()
    dispose(setup)
    port = _free_port()
    env = {
        **os.environ,
        "EAP_ENV": "production",
        "EAP_SECRET_KEY": "slow-clients-drill-secret-key-0123456789",
        "EAP_DATABASE_URL": url,
        "EAP_DATA_KEYS": "t1:" + base64.urlsafe_b64encode(b"k" * 32).decode(),
        "EAP_STRIPE_SECRET_KEY": "sk_test_slowclients",
        "EAP_STRIPE_WEBHOOK_SECRET": "whsec_slowclients",
        "EAP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "EAP_MAIL_SERVER": "127.0.0.1",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:eap.gunicorn_conf",
             "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "eap:create_app()"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(port, "gunicorn", log)
        yield port
    finally:
        server.terminate()
        server.wait(20)


@pytest.fixture
def nginx(gunicorn):
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not binary:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but nginx is not installed (.ci/run installs nginx-light)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    root = Path(tempfile.mkdtemp(prefix="eap-drill-nginx-"))
    port = _free_port()
    user = "user root root;" if os.geteuid() == 0 else ""
    (root / "eap.conf").write_text(_site_conf(root, port, gunicorn))
    (root / "nginx.conf").write_text(NGINX_MAIN.format(root=root, user=user))
    server = subprocess.Popen(
        [binary, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, "nginx", root / "error.log")
        yield port
    finally:
        server.terminate()
        server.wait(20)
        shutil.rmtree(root, ignore_errors=True)


def test_slow_clients_block_gunicorn_alone_but_not_behind_nginx(gunicorn, nginx):
    # 1. Without the proxy: as many slow clients as workers, and the site is gone.
    slow = SlowClients(gunicorn, WORKERS)
    try:
        time.sleep(0.5)  # both workers have picked up a slow connection
        blocked = _probe_while_trickling(gunicorn, slow, probes=3)
    finally:
        slow.close()
    assert all(isinstance(result, str) for result in blocked), blocked

    # 2. Behind nginx: 50 slow clients, and every normal request answers at once.
    slow = SlowClients(nginx, SLOW_CLIENTS)
    try:
        time.sleep(0.5)
        timings = _probe_while_trickling(nginx, slow)
    finally:
        slow.close()
    assert all(isinstance(result, float) for result in timings), timings
    assert max(timings) < FAST_ENOUGH, timings
