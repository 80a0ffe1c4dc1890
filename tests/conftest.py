"""Shared fixtures: a fresh app and a clean database for every test, on SQLite or PostgreSQL.

The schema is made once per run; after each test every table is emptied, so a failing test
leaves nothing behind. Set ``EAP_TEST_DATABASE_URL`` to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import base64
import os
import re

import pyotp
import pytest
import sqlalchemy as sa

from eap import create_app
from eap.extensions import db

TEST_DATA_KEY = "t1:" + base64.urlsafe_b64encode(b"k" * 32).decode()
PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("EAP_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def make_test_app(database_url: str, instance_path: str, **extra):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATA_KEYS": TEST_DATA_KEY,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SYNC": True,
        "SERVER_NAME": "localhost",
        "PUBLIC_BASE_URL": "http://localhost",
        # The proof of work of the anonymous steps: no wait for the test client, little work for
        # the browser (tests/security/test_proof_of_work.py sets real values).
        "POW_NOJS_WAIT": 0.0,
        "POW_MAX_NUMBER": 1000,
    }
    settings.update(extra)
    app = create_app(settings)
    app.instance_path = instance_path
    return app


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Create every table once for the whole run."""
    app = make_test_app(database_url, str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return database_url


def empty_all_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to give its app extra settings."""
    return {}


@pytest.fixture
def app(_schema, tmp_path, app_settings):
    """The app, without a pushed context: like in production, each request gets its own.

    Tests that touch the database directly use ``with app.app_context():``.
    """
    app = make_test_app(_schema, str(tmp_path), **app_settings)
    yield app
    with app.app_context():
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


def persist(app, obj):
    """Save ``obj`` and hand it back detached, its columns loaded, for use in a test."""
    with app.app_context():
        db.session.add(obj)
        db.session.commit()
        db.session.refresh(obj)
        db.session.expunge(obj)
    return obj


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, url: str) -> str:
    """The session's CSRF token, read off ``url`` as a browser would.

    One token serves every form of a session. A page without a form of its own (a GET form, a
    list whose buttons sit on another page) used to carry one in the header's language form;
    the header now has links, so such a page's token is read off the requester start page,
    whose language form every visitor can open."""
    response = client.get(url)
    match = CSRF_RE.search(response.get_data(as_text=True))
    if match is None and response.status_code == 200:
        match = CSRF_RE.search(client.get("/help/").get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({response.status_code})"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, from_url: str | None = None, **kw):
    """Submit a form as a browser would: fetch the page for its CSRF token, then POST."""
    payload = {"csrf_token": csrf_token(client, from_url or url), **(data or {})}
    return client.post(url, data=payload, **kw)


@pytest.fixture
def make_organisation(app):
    from eap.employers.models import Organisation

    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        org = Organisation(
            name=fields.pop("name", f"Firma {n} GmbH"),
            billing_email=fields.pop("billing_email", f"billing{n}@firma{n}.example"),
            employee_count=fields.pop("employee_count", 100),
            **fields,
        )
        return persist(app, org)

    return make


@pytest.fixture
def make_hr_user(app, make_organisation):
    from eap.employers.models import HrUser
    from eap.models import utcnow
    from eap.security.passwords import hash_password

    counter = iter(range(1, 10_000))

    def make(organisation=None, role="owner", verified=True, password=PASSWORD, **fields):
        n = next(counter)
        user = HrUser(
            organisation_id=(organisation or make_organisation()).id,
            email=fields.pop("email", f"hr{n}@example.org"),
            role=role,
            password_hash=hash_password(password),
            email_verified_at=utcnow() if verified else None,
            **fields,
        )
        return persist(app, user)

    return make


@pytest.fixture
def make_staff(app):
    from eap.security.passwords import hash_password
    from eap.staff.models import StaffUser

    counter = iter(range(1, 10_000))

    def make(role="counsellor", enrolled=True, password=PASSWORD, **fields):
        n = next(counter)
        user = StaffUser(
            email=fields.pop("email", f"staff{n}@igus.example"),
            name=fields.pop("name", f"Staff {n}"),
            role=role,
            password_hash=hash_password(password),
            totp_secret=pyotp.random_base32() if enrolled else None,
            **fields,
        )
        return persist(app, user)

    return make


def login_hr(client, user, password: str = PASSWORD):
    return post_form(
        client, "/hr/login", {"email": user.email, "password": password}
    )


def login_staff(client, user, password: str = PASSWORD):
    """Password step and TOTP step; returns the response of the code step."""
    response = post_form(client, "/staff/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    code = pyotp.TOTP(user.totp_secret).now()
    return post_form(client, "/staff/login/code", {"code": code})


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def make_package(app):
    from eap.packages.models import ServicePackage

    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        defaults = dict(
            slug=f"paket{n}", name_de=f"Paket {n}", name_en=f"Package {n}",
            description_de="Beschreibung", description_en="Description",
            price_month_cents=400, price_year_cents=4300, response_hours=24,
            urgent_response_hours=8, dependants_included=True,
        )
        return persist(app, ServicePackage(**{**defaults, **fields}))

    return make


@pytest.fixture
def make_contract(app, make_organisation, make_package):
    """A contract; active by default, so the organisation's access codes work."""
    from eap.billing.models import Contract

    def make(organisation=None, package=None, status="active", seats=50, **fields):
        contract = Contract(
            organisation_id=(organisation or make_organisation()).id,
            package_id=(package or make_package()).id,
            seats=seats,
            status=status,
            **fields,
        )
        return persist(app, contract)

    return make


@pytest.fixture
def make_access_code(app, make_organisation):
    """Returns (AccessCode, plain code) for an organisation (a new one if none given)."""
    from eap.employers import access_codes
    from eap.employers.models import Organisation

    def make(organisation=None, label="", primary=True):
        organisation = organisation or make_organisation()
        with app.app_context():
            code = access_codes.create_code(
                db.session.get(Organisation, organisation.id), label=label, primary=primary
            )
            db.session.commit()
            plain = code.code
            db.session.refresh(code)
            db.session.expunge(code)
        return code, plain

    return make


@pytest.fixture
def english(client):
    """Switch the test client's visit to English (for assertions on English text)."""
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    return client


@pytest.fixture(scope="session")
def _smtp():
    from tests import mailbox

    controller, box = mailbox.start()
    yield controller, box
    controller.stop()


@pytest.fixture
def mailbox(_smtp):
    """A real SMTP server; use with ``app_settings`` = ``smtp_settings(mailbox)``."""
    controller, box = _smtp
    box.messages.clear()
    box.settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port}
    return box
