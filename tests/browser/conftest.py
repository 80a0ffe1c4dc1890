"""Browser tests: the portal served on a free local port, driven by Debian's Chromium.

Fixtures and helpers for every browser test:

- ``live_server``: the app (``create_app()``) on ``127.0.0.1`` and a free port, with its own
  temporary SQLite database, schema created and demo data seeded (``eap.demo.seed_demo``).
- ``app``: overrides the suite's ``app`` fixture with the live server's app, so the usual
  factories (``make_staff``, ``make_hr_user``, ``persist(app, obj)``) add data the browser sees.
  After a test that asked for it, the database is emptied and the demo data seeded again.
- ``page``: pytest-playwright's page, watched for console errors, page errors and requests to
  any host other than the live server; the test fails at teardown if any happened.
- ``visit(page, path)``: one line to open any page and check it: HTTP status, no console
  errors, no request to another host, zero axe-core WCAG 2.1 A/AA violations.
- ``check_page(page)``: the same checks on the page as it is now (after a click or a form).

Chromium is Debian's ``/usr/bin/chromium`` (never a downloaded browser). If it is missing the
browser tests are skipped, except under ``CI=true``, where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import WSGIRequestHandler, make_server

from eap import create_app
from eap.extensions import db

# EAP_TEST_CHROMIUM only exists to try the missing-browser rules; CI uses the default.
CHROMIUM = Path(os.environ.get("EAP_TEST_CHROMIUM", "/usr/bin/chromium"))
BROWSER_DIR = Path(__file__).resolve().parent
AXE_JS = BROWSER_DIR / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LIVE_DATA_KEY = "live1:" + base64.urlsafe_b64encode(b"b" * 32).decode()
IN_CI = os.environ.get("CI", "").lower() == "true"


# --- collection ---------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser is a browser test (before ``-m`` selects)."""
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"CI=true: {message}; browser tests must not be skipped in CI")
        pytest.skip(message)


# --- the live server ----------------------------------------------------------------------


@dataclass
class LiveServer:
    app: Flask
    url: str  # http://127.0.0.1:PORT, no trailing slash
    netloc: str = field(init=False)

    def __post_init__(self) -> None:
        self.netloc = urlsplit(self.url).netloc

    def __call__(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on the live server."""
        return self.url + path

    def seed(self) -> None:
        """Empty every table and seed the demo data again."""
        from eap.demo import seed_demo

        with self.app.app_context():
            db.session.rollback()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
            seed_demo()
            db.session.commit()
            db.session.remove()


class _QuietHandler(WSGIRequestHandler):
    """No per-request log lines: they would carry the client address (DESIGN.md §3.3)."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SECRET_KEY": "browser-test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}",
            "DATA_KEYS": LIVE_DATA_KEY,
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_SYNC": True,
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    live = LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    app.config["PUBLIC_BASE_URL"] = live.url
    live.seed()
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(live_server):
    """The live server's app, for tests that add their own data (see the module docstring)."""
    yield live_server.app
    live_server.seed()


# --- pytest-playwright with Debian's Chromium ---------------------------------------------


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Playwright's base URL is the live server: ``page.goto("/faq")`` works."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp only so that axe can be injected; the portal's own CSP stays strict.
    # A German browser: German is the portal's default language.
    return {**browser_context_args, "bypass_csp": True, "locale": "de-DE"}


# --- watching the page --------------------------------------------------------------------


class PageGuard:
    """Records console errors, page errors and requests to other hosts on one page."""

    def __init__(self, page: Page, live: LiveServer) -> None:
        self.live = live
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"console error: {message.text} ({message.location})")

    def _on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if parts.scheme not in {"http", "https"} or parts.netloc != self.live.netloc:
            self.foreign_requests.append(f"{request.method} {request.url}")

    def assert_clean(self) -> None:
        problems = self.console_errors + [
            f"request to another host: {url}" for url in self.foreign_requests
        ]
        assert not problems, "\n".join(problems)


def _guard(page: Page) -> PageGuard:
    guard = getattr(page, "_eap_guard", None)
    assert guard is not None, "use the browser tests' `page` fixture"
    return guard


@pytest.fixture
def page(page: Page, live_server) -> Page:
    """pytest-playwright's page, watched from the first request on."""
    page._eap_guard = PageGuard(page, live_server)  # type: ignore[attr-defined]
    yield page
    page._eap_guard.assert_clean()  # type: ignore[attr-defined]


# --- axe-core -----------------------------------------------------------------------------


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"][:3]]
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" [{len(violation['nodes'])} node(s), e.g. {'; '.join(targets)}]"
        )
    return "\n".join(lines)


def check_a11y(page: Page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page; fail listing every violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = result["violations"]
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


def _check_page(page: Page) -> None:
    page.wait_for_load_state("load")
    _guard(page).assert_clean()
    check_a11y(page)


@pytest.fixture
def check_page():
    """``check_page(page)``: no console errors, no foreign requests, zero axe violations."""
    return _check_page


@pytest.fixture
def visit(live_server):
    """``visit(page, path)``: open a page of the live server and check it (see module doc)."""

    def _visit(page: Page, path: str, status: int = 200):
        response = page.goto(live_server(path))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        if status >= 400:
            # Chromium logs the expected error status of the page itself as a console error.
            guard = _guard(page)
            guard.console_errors = [
                error for error in guard.console_errors
                if not (error.startswith("console error: Failed to load resource")
                        and response.url in error)
            ]
        _check_page(page)
        return response

    return _visit
