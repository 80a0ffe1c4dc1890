"""The production server's own output over a whole requester flow holds no client address, no
user agent and no secret: gunicorn started exactly as the "Production deployment" section of
docs/operations.md says (``--access-logfile /dev/null``), with ``EAP_ENV=production`` and the
application logging at DEBUG. (gunicorn's own ``--log-level debug`` would print each request's
method and path, without the address: not for production.)
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from eap.extensions import db
from tests.conftest import make_test_app
from tests.drills.conftest import dispose, organisation_with_code
from tests.drills.test_postgres_restart import CSRF, NONCE, Visitor, _sign_up
from tests.requests.conftest import PASSPHRASE, REQUEST

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "198.51.100.77"
AGENT = "Mozilla/5.0 (ServerLogProbe-Z9)"
SECRET_KEY = "server-log-test-secret-key-0123456789abcdef"  # the access code's digest key
SECRET_TEXT = "Niemand darf wissen dass ich hier frage"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoggedVisitor(Visitor):
    def call(self, method, path, fields=None):
        import http.client

        original = http.client.HTTPConnection.request

        def request(connection, m, url, body=None, headers=None, **kw):
            headers = {**(headers or {}), "User-Agent": AGENT, "X-Forwarded-For": ADDRESS,
                       "X-Real-IP": ADDRESS, "Forwarded": f"for={ADDRESS}"}
            return original(connection, m, url, body=body, headers=headers, **kw)

        http.client.HTTPConnection.request = request
        try:
            return super().call(method, path, fields)
        finally:
            http.client.HTTPConnection.request = original


def test_gunicorn_output_over_a_requester_flow(tmp_path):
    url = f"sqlite:///{tmp_path / 'eap.sqlite'}"
    setup = make_test_app(url, str(tmp_path / "setup"), SECRET_KEY=SECRET_KEY)
    with setup.app_context():
        db.create_all()
    _org, code = organisation_with_code(setup)
    dispose(setup)

    port = _free_port()
    env = {
        **os.environ,
        "EAP_ENV": "production",
        "EAP_SECRET_KEY": SECRET_KEY,
        "EAP_DATABASE_URL": url,
        "EAP_DATA_KEYS": "t1:" + base64.urlsafe_b64encode(b"k" * 32).decode(),
        "EAP_STRIPE_SECRET_KEY": "sk_test_serverlog",
        "EAP_STRIPE_WEBHOOK_SECRET": "whsec_serverlog",
        "EAP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "EAP_MAIL_SERVER": "127.0.0.1",
        "EAP_LOG_LEVEL": "DEBUG",
        # The scripted visitor has no JavaScript and does not wait between steps: no wait for
        # the proof of work (tests/security/test_proof_of_work.py tests it).
        "EAP_POW_NOJS_WAIT": "0",
    }
    log = tmp_path / "server.log"
    with open(log, "w") as output:
        server = subprocess.Popen(  # the command of docs/operations.md
            [sys.executable, "-m", "gunicorn", "-c", "python:eap.gunicorn_conf", "--workers", "1",
             "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "--forwarded-allow-ips", "127.0.0.1",
             "eap:create_app()"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
        try:
            visitor = LoggedVisitor(port)
            deadline = time.monotonic() + 30
            while True:
                try:
                    if visitor.call("GET", "/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.2)
            _sign_up(visitor, code)
            status, _, page = visitor.call("GET", "/help/requests/new?danger=no")
            assert status == 200
            data = {**REQUEST, "description": SECRET_TEXT, "acute_danger": "no",
                    "csrf_token": CSRF.search(page).group(1),
                    "nonce": NONCE.search(page).group(1)}
            status, location, _ = visitor.call("POST", "/help/requests/new", data)
            assert status == 302, status
            case_page = location.rstrip("/").rsplit("/", 1)[0]
            assert visitor.call("GET", case_page)[0] == 200
            visitor.call("GET", "/help/account/data")
            visitor.call("GET", "/does-not-exist")
        finally:
            server.terminate()
            server.wait(20)
    text = log.read_text()
    assert "Booting worker" in text  # the log was really captured
    # No request is logged at all (no path, hence no peer address next to it) ...
    for request_trace in ("/help/", "GET /", "POST /", "does-not-exist", "HTTP/1.1"):
        assert request_trace not in text, f"a request is logged: {request_trace!r}"
    # ... and none of what the requester sent appears anywhere.
    for secret in (ADDRESS, AGENT, "ServerLogProbe", SECRET_TEXT, PASSPHRASE):
        assert secret not in text, f"{secret!r} in the server output"
