"""Drill: the rate-limit storage (Redis) is killed while people sign in, and comes back.

The drill never touches the machine's Redis: it starts its own ``redis-server`` on a free port
(no persistence) and kills that process with SIGKILL. Checked:

- while Redis is down, HR and staff sign-ins and access-code attempts still work (no 500), the
  limits still hold per process (the sixth wrong password in a minute gets 429), the log says so
  at ERROR level, and ``/readyz`` reports the storage as not ok without changing its status;
- after Redis is back, the portal counts in Redis again by itself, without a restart.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from eap.security.ratelimits import STORAGE_BACK, STORAGE_DOWN
from tests.conftest import PASSWORD, post_form

pytestmark = pytest.mark.drill

WRONG = "not-the-password-at-all"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this drill alone: own port, own folder, nothing saved."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail("CI=true but redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.port = _free_port()
        self.folder = tempfile.mkdtemp(prefix="eap-drill-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.folder, "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_timeout=1).ping()
                return
            except redis.exceptions.ConnectionError:
                assert time.monotonic() < deadline, "the drill's redis-server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # SIGKILL: no goodbye to the clients
            self.process.wait(10)

    def keys(self) -> list[bytes]:
        import redis

        connection = redis.Redis(port=self.port, socket_timeout=1)
        try:
            return connection.keys("*")
        finally:
            connection.close()

    def destroy(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def app_settings(private_redis):
    return {"RATELIMIT_STORAGE_URI": private_redis.url}


def _readyz(client):
    answer = client.get("/readyz")
    return answer.status_code, answer.get_json()["checks"]["rate_limit_storage"]


def _code_attempt(app, code: str) -> int:
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    return post_form(client, "/help/access", {"code": code}).status_code


def test_sign_ins_go_on_while_redis_is_down(app, private_redis, make_hr_user, make_staff,
                                            working_code, caplog):
    hr_user, staff = make_hr_user(), make_staff()
    _organisation, code = working_code()
    client = app.test_client()
    assert post_form(client, "/hr/login", {"email": hr_user.email, "password": WRONG}
                     ).status_code == 200
    assert private_redis.keys(), "the limiter does not count in the drill's Redis"
    # (The test schema is not migrated, so /readyz says 503 here; a lost Redis must not change
    # that answer — tests/foundation/test_health.py shows the 200 of a migrated database.)
    ready, storage = _readyz(client)
    assert storage == "ok"

    caplog.set_level(logging.INFO)
    private_redis.kill()
    # A view that counts by itself (the reset mail cap, the proof of work's markers) is the first
    # to meet the lost storage here: it falls back like the decorated limits, never a 500.
    assert post_form(app.test_client(), "/hr/forgot-password", {"email": hr_user.email}
                     ).status_code == 302
    # Sign-ins work: a right password signs in, a wrong one gets the form again, never a 500.
    fresh = app.test_client()
    assert post_form(fresh, "/hr/login", {"email": hr_user.email, "password": PASSWORD}
                     ).status_code == 302
    answer = post_form(app.test_client(), "/staff/login",
                       {"email": staff.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code
    assert _code_attempt(app, code) == 302  # the right access code opens the door
    assert _code_attempt(app, "WRONG-CODE-1234") in (200, 400)
    # The limit still holds, counted in this process: after 5 failures from new browsers the
    # account name asks the next one for 2**POW_LOGIN_PRESSURE_DOUBLINGS times the work
    # (issue 26: a price per guess, never a refusal of the owner).
    answers = [post_form(app.test_client(), "/staff/login",
                         {"email": staff.email, "password": WRONG}) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 5
    asked = json.loads(html.unescape(re.search(
        r'challengejson="([^"]*)"', answers[-1].get_data(as_text=True)).group(1)))["maxnumber"]
    assert asked == app.config["POW_MAX_NUMBER"] * 2 ** app.config["POW_LOGIN_PRESSURE_DOUBLINGS"]
    # Loud in the log, visible on /readyz, and the host stays in the load balancer.
    assert any(r.levelno == logging.ERROR and r.getMessage() == STORAGE_DOWN
               for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert _readyz(client) == (ready, "not ok")

    private_redis.start()  # an empty Redis on the same port, as after a restart
    assert _readyz(client) == (ready, "ok")
    # The limiter looks for Redis again after 1, 2, 4 … seconds of traffic and returns to it.
    deadline = time.monotonic() + 40
    while not private_redis.keys():
        assert time.monotonic() < deadline, "the portal did not return to Redis"
        post_form(app.test_client(), "/hr/login", {"email": "someone@example.org",
                                                   "password": WRONG})
        time.sleep(0.5)
    assert any(r.getMessage() == STORAGE_BACK for r in caplog.records)
    assert post_form(app.test_client(), "/hr/login",
                     {"email": hr_user.email, "password": PASSWORD}).status_code == 302
