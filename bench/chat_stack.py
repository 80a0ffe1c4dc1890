"""The live chat's production stack on one machine, for bench/chat.py and the chat drills.

Real processes only: a fresh PostgreSQL database on the shared server, the page gunicorn and the
chat gunicorn started with the flags of their shipped systemd units (deploy/systemd/; only the
address is changed), Redis (the shared server's db 14, or a private ``redis-server``) and nginx
with ``deploy/nginx/eap.conf`` as shipped but for its ports and paths (the way
tests/drills/test_slow_clients.py runs it).

Seeding goes through the app's own services in an app context (``rooms.start``, ``rooms.take``,
``presence.open_for``); each requester's session cookie is made with the app's session interface
(the format of eap/requests/session.py), with a CSRF token from Flask-WTF, so that a client
can open ``/help/chat/<id>/events`` and post to ``/help/chat/<id>/send`` over HTTP without
signing in 200 times.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess  # nosec B404 - starts local servers only
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SECRET_KEY = "chat-bench-secret-key-0123456789abcdef"
DATA_KEYS = "c1:" + base64.urlsafe_b64encode(b"c" * 32).decode()
PG_SERVER = os.environ.get("EAP_DRILL_PG_SERVER",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
COOKIE = "__Host-eap_session"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


# -- PostgreSQL -----------------------------------------------------------------------------
def pg_answers(server: str = PG_SERVER) -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    engine = sa.create_engine(server)
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as error:
        return str(error).splitlines()[0]
    finally:
        engine.dispose()


@contextlib.contextmanager
def fresh_database(prefix: str, server: str = PG_SERVER):
    """A new PostgreSQL database with the portal's tables, dropped afterwards."""
    url = sa.engine.make_url(server)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- Redis ----------------------------------------------------------------------------------
class PrivateRedis:
    """A redis-server of its own: free port, own folder, nothing saved; can be stopped and
    started again on the same port."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="eap-chat-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # nosec B603
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
                if time.monotonic() > deadline:
                    raise RuntimeError("the private redis-server did not start") from None
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # SIGKILL: no goodbye to the clients
            self.process.wait(10)

    def destroy(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


# -- seeding --------------------------------------------------------------------------------
@dataclass
class Seeded:
    organisation_id: int
    chats: list[str] = field(default_factory=list)  # public ids
    cookies: dict[str, str] = field(default_factory=dict)  # chat -> Cookie header value
    csrf: dict[str, str] = field(default_factory=dict)  # chat -> the form's csrf_token


def seed_app(database_url: str, **settings):
    from eap import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY,
                       "DATA_KEYS": DATA_KEYS, "SERVER_NAME": None, **settings})


def seed(database_url: str, chats: int, counsellors: int = 0, max_parallel: int = 10) -> Seeded:
    """The tables, an organisation with a contract and an access code, counsellors open for
    chats, and ``chats`` active chats of as many signed-in requesters (one cookie each)."""
    from flask import g, session
    from flask_wtf.csrf import generate_csrf

    from eap.billing.models import Contract
    from eap.chat import presence, rooms
    from eap.employers import access_codes
    from eap.employers.models import Organisation
    from eap.extensions import db
    from eap.packages.models import ServicePackage
    from eap.requests import accounts
    from eap.requests.models import RequesterAccount
    from eap.security.passwords import hash_password
    from eap.staff.models import StaffUser

    counsellors = counsellors or max(1, -(-chats // max_parallel))
    app = seed_app(database_url)
    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        db.create_all()
        organisation = Organisation(name=f"Chat bench {tag} GmbH", employee_count=500,
                                    billing_email=f"billing@chat{tag}.example")
        package = ServicePackage(
            slug=f"chat{tag}", name_de="Paket", name_en="Package", description_de="B",
            description_en="D", price_month_cents=400, price_year_cents=4300,
            response_hours=24, urgent_response_hours=8, dependants_included=True)
        db.session.add_all([organisation, package])
        db.session.flush()
        db.session.add(Contract(organisation_id=organisation.id, package_id=package.id,
                                seats=max(50, chats), status="active"))
        code = access_codes.create_code(organisation, primary=True)
        staff = []
        for n in range(counsellors):
            person = StaffUser(email=f"counsellor{n}.{tag}@igus.example", name=f"Counsellor {n}",
                               role="counsellor", password_hash="x")
            db.session.add(person)
            staff.append(person)
        db.session.flush()
        for person in staff:
            presence.open_for(person, 8, max_parallel, with_availability=False)
        # One Argon2 hash for every account: nobody signs in with it, the cookie does.
        shared_hash = hash_password("chat bench passphrase nobody types")
        people = []
        for _ in range(chats):
            account = RequesterAccount(
                case_key_digest=accounts.key_digest(accounts.new_secret()),
                recovery_digest=accounts.recovery_digest(accounts.new_secret()),
                passphrase_hash=shared_hash, organisation_id=organisation.id,
                access_code_id=code.id, requester_type="employee")
            db.session.add(account)
            people.append(account)
        db.session.flush()
        seeded = Seeded(organisation_id=organisation.id)
        serializer = app.session_interface.get_signing_serializer(app)
        for n, account in enumerate(people):
            with app.test_request_context("/"):
                chat, _secret = rooms.start(organisation.id, "de", False, account=account)
                rooms.take(chat, staff[n // max_parallel], max_parallel)
                moment = time.time()
                session["lang"] = "de"
                session["requester"] = {"id": account.public_id,
                                        "gen": account.session_generation or 0,
                                        "at": moment, "seen": moment}
                g.pop("csrf_token", None)  # Flask-WTF keeps one token per app context
                seeded.csrf[chat.public_id] = generate_csrf()
                seeded.cookies[chat.public_id] = f"{COOKIE}={serializer.dumps(dict(session))}"
                seeded.chats.append(chat.public_id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return seeded


# -- gunicorn -------------------------------------------------------------------------------
def unit_command(unit: str, port: int, **overrides: str) -> list[str]:
    """The gunicorn command of ``deploy/systemd/<unit>`` as shipped, with this venv's Python,
    bound to ``port``; ``overrides`` replace flags (``workers="2"`` → ``--workers 2``)."""
    text = (DEPLOY / "systemd" / unit).read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    words = shlex.split(line[len("ExecStart="):])
    assert words[0].endswith("/gunicorn"), words[0]
    words = [sys.executable, "-m", "gunicorn", *words[1:]]
    wanted = {"bind": f"127.0.0.1:{port}", **overrides}
    for flag, value in wanted.items():
        option = "--" + flag.replace("_", "-")
        if option in words:
            words[words.index(option) + 1] = value
        else:
            words[-1:-1] = [option, value]
    return words


def app_env(database_url: str, redis_url: str, public_port: int, **settings: str) -> dict:
    return {
        **os.environ,
        "EAP_ENV": "production",
        "EAP_SECRET_KEY": SECRET_KEY,
        "EAP_DATABASE_URL": database_url,
        "EAP_DATA_KEYS": DATA_KEYS,
        "EAP_STRIPE_SECRET_KEY": "sk_test_chatbench",
        "EAP_STRIPE_WEBHOOK_SECRET": "whsec_chatbench",
        "EAP_PUBLIC_BASE_URL": f"http://127.0.0.1:{public_port}",
        "EAP_MAIL_SERVER": "127.0.0.1",
        "EAP_REDIS_URL": redis_url,
        **{f"EAP_{key}": str(value) for key, value in settings.items()},
    }


class Gunicorn:
    """One gunicorn master (started with the command of a shipped unit) and its workers."""

    def __init__(self, unit: str, env: dict, log: Path, port: int | None = None,
                 **overrides: str):
        self.port = port or free_port()
        self.log = log
        command = unit_command(unit, self.port, **overrides)
        with open(log, "a") as output:
            self.process = subprocess.Popen(  # nosec B603
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)

    def wait_ready(self, workers: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if http_status(self.port, "/healthz") == 200 and len(self.workers()) >= workers:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn on {self.port} did not start\n"
                                   + self.log.read_text()[-3000:])
            time.sleep(0.2)

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def established_from(pid: int, port: int) -> int:
    """How many established TCP connections to local ``port`` the process holds."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                local_port = int(parts[1].rsplit(":", 1)[1], 16)
                if parts[3] == "01" and local_port == port and parts[9] in inodes:
                    count += 1
    return count


def http_status(port: int, path: str, timeout: float = 2) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = b""
        while b"\r\n" not in head:
            chunk = connection.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


# -- nginx ----------------------------------------------------------------------------------
NGINX_MAIN = """
daemon off;
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {root}/eap.conf;
}}
"""


def site_conf(root: Path, port: int, pages: list[int], chat: list[int]) -> str:
    """deploy/nginx/eap.conf as shipped, on a free port without TLS, logging into ``root``;
    the two upstreams name the given ports (one ``server`` line per app host, as shipped)."""
    text = (DEPLOY / "nginx" / "eap.conf").read_text()
    upstream = {"8000": pages, "8001": chat}
    replacements = [("listen 443 ssl http2;", f"listen 127.0.0.1:{port};"),
                    ("/var/log/nginx/", f"{root}/")]
    for shipped, ports in upstream.items():
        replacements.append((f"server 127.0.0.1:{shipped};",
                             " ".join(f"server 127.0.0.1:{p};" for p in ports)))
    for shipped, replacement in replacements:
        if shipped not in text:
            raise RuntimeError(f"deploy/nginx/eap.conf no longer has {shipped!r}")
        text = text.replace(shipped, replacement)
    return text


class Nginx:
    def __init__(self, pages: list[int], chat: list[int], connections: int = 2048):
        binary = nginx_binary()
        if not binary:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.root = Path(tempfile.mkdtemp(prefix="eap-chat-nginx-"))
        self.port = free_port()
        user = "user root root;" if os.geteuid() == 0 else ""
        (self.root / "eap.conf").write_text(site_conf(self.root, self.port, pages, chat))
        (self.root / "nginx.conf").write_text(
            NGINX_MAIN.format(root=self.root, user=user, connections=connections))
        self.process = subprocess.Popen(  # nosec B603
            [binary, "-p", str(self.root), "-c", str(self.root / "nginx.conf"),
             "-e", str(self.root / "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                if http_status(self.port, "/healthz") == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.root / "error.log"
                raise RuntimeError("nginx did not start\n"
                                   + (log.read_text()[-2000:] if log.exists() else ""))
            time.sleep(0.2)

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)
        shutil.rmtree(self.root, ignore_errors=True)


# -- the clients ----------------------------------------------------------------------------
@dataclass
class Event:
    kind: str
    data: str
    event_id: str | None
    at: float  # time.monotonic() of its arrival


class EventStream:
    """A browser's EventSource on one chat: reads events, and after the stream ends or breaks
    reconnects after the server's ``retry:`` with ``Last-Event-ID`` (the last id it got)."""

    def __init__(self, session, base: str, chat: str, cookie: str, prefix: str = "help"):
        self.session = session
        self.url = f"{base}/{prefix}/chat/{chat}/events"
        self.cookie = cookie
        self.events: list[Event] = []
        self.last_id: str | None = None
        self.retry = 1.5
        self.connects: list[float] = []  # monotonic times of each response's start
        self.breaks: list[float] = []  # monotonic times a stream ended or broke
        self.opened = asyncio.Event()
        self.errors: list[str] = []
        self.on_event = None  # a callable(Event), optional
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        import aiohttp

        while True:
            headers = {"Cookie": self.cookie, "Accept": "text/event-stream",
                       "Cache-Control": "no-cache"}
            if self.last_id is not None:
                headers["Last-Event-ID"] = self.last_id
            try:
                async with self.session.get(self.url, headers=headers,
                                            timeout=aiohttp.ClientTimeout(
                                                total=None, sock_read=90)) as response:
                    if response.status != 200:
                        self.errors.append(f"status {response.status}")
                    else:
                        self.connects.append(time.monotonic())
                        await self._read(response)
            except (TimeoutError, aiohttp.ClientError, ConnectionError) as error:
                self.errors.append(repr(error))
            self.breaks.append(time.monotonic())
            await asyncio.sleep(self.retry)

    async def _read(self, response) -> None:
        kind, data, event_id = "message", [], None
        async for raw in response.content:
            line = raw.decode().rstrip("\r\n")
            if not line:
                if data or event_id is not None:
                    if event_id is not None:
                        self.last_id = event_id
                    event = Event(kind, "\n".join(data), event_id, time.monotonic())
                    self.events.append(event)
                    self.opened.set()
                    if self.on_event:
                        self.on_event(event)
                kind, data, event_id = "message", [], None
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                data.append(value)
            elif name == "event":
                kind = value
            elif name == "id":
                event_id = value
            elif name == "retry" and value.isdigit():
                self.retry = int(value) / 1000

    def bodies(self) -> list[str]:
        import json

        return [json.loads(e.data)["body"] for e in self.events if e.kind == "message"]


async def send(session, base: str, chat: str, cookie: str, csrf: str, body: str,
               timeout: float = 10) -> int:
    """The requester's message, posted like chat.js does (JSON answer); the status code."""
    import aiohttp

    form = {"csrf_token": csrf, "nonce": uuid.uuid4().hex, "body": body}
    async with session.post(f"{base}/help/chat/{chat}/send", data=form,
                            headers={"Cookie": cookie, "Accept": "application/json"},
                            timeout=aiohttp.ClientTimeout(total=timeout),
                            allow_redirects=False) as response:
        await response.read()
        return response.status


def client_session(limit: int = 0):
    import aiohttp

    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit, force_close=False),
                                 cookie_jar=aiohttp.DummyCookieJar())


TOKEN = re.compile(r"#(\d+)#")
