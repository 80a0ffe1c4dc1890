"""``/healthz`` and ``/readyz``: unauthenticated, uncached, cookie-free, ok / not ok per
dependency and nothing more (the data keys' ids, never the keys)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import TEST_DATA_KEY, make_test_app


def _get(app, url: str):
    answer = app.test_client().get(url)
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers
    assert answer.mimetype == "application/json"
    return answer.status_code, answer.get_json()


def test_healthz_says_the_process_answers(app):
    assert _get(app, "/healthz") == (200, {"status": "ok"})


def test_readyz_without_migrations_is_not_ready(app):
    """The test schema is made by create_all: no Alembic revision, so not ready."""
    status, body = _get(app, "/readyz")
    assert status == 503
    assert body == {
        "status": "not ok",
        "checks": {"database": "ok", "migrations": "not ok", "rate_limit_storage": "ok",
                   "data_keys": "ok"},
        "data_key_ids": ["t1"],
    }
    assert TEST_DATA_KEY.split(":", 1)[1] not in json.dumps(body)


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """A SQLite database brought up by ``flask migrate``, as an operator does."""
    folder = tmp_path_factory.mktemp("migrated")
    url = f"sqlite:///{folder / 'eap.sqlite'}"
    app = make_test_app(url, str(folder))
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    return url, folder


def test_readyz_when_everything_works(migrated_sqlite):
    url, folder = migrated_sqlite
    app = make_test_app(url, str(folder), DATA_KEYS=f"n2:{'B' * 43}=,{TEST_DATA_KEY}")
    status, body = _get(app, "/readyz")
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"].values()) == {"ok"}
    assert body["data_key_ids"] == ["n2", "t1"]  # newest first, as configured


def test_a_lost_redis_degrades_but_keeps_the_host_ready(migrated_sqlite):
    """Every host shares Redis: taking them all out of the load balancer for it would turn
    per-process limits (a degradation) into an outage."""
    url, folder = migrated_sqlite
    app = make_test_app(url, str(folder), RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    status, body = _get(app, "/readyz")
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["rate_limit_storage"] == "not ok"


def test_readyz_notices_a_schema_behind_the_code(migrated_sqlite):
    url, folder = migrated_sqlite
    app = make_test_app(url, str(folder))
    with app.app_context():
        with db.engine.begin() as connection:
            (head,) = connection.execute(sa.text("SELECT version_num FROM alembic_version")).one()
            connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
        try:
            status, body = _get(app, "/readyz")
        finally:
            with db.engine.begin() as connection:
                connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"),
                                   {"v": head})
            db.engine.dispose()
    assert status == 503
    assert body["checks"]["database"] == "ok" and body["checks"]["migrations"] == "not ok"


def test_readyz_when_the_database_does_not_answer(tmp_path):
    # Nothing listens on port 9 (discard) here: the connection is refused at once.
    app = make_test_app("postgresql+psycopg://postgres@127.0.0.1:9/none", str(tmp_path))
    status, body = _get(app, "/readyz")
    assert status == 503
    assert body["status"] == "not ok"
    assert body["checks"]["database"] == "not ok"
    assert body["checks"]["migrations"] == "not ok"
    assert body["checks"]["data_keys"] == "ok"
    assert "psycopg" not in json.dumps(body) and "9" not in json.dumps(body["checks"])
    # The process itself is alive.
    assert _get(app, "/healthz")[0] == 200
