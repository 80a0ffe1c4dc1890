"""The Alembic migrations produce exactly the models' schema, on SQLite and PostgreSQL."""

import logging
import os
import secrets

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from eap.config import normalise_database_url
from eap.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def keep_logging():
    """Alembic's env.py reconfigures logging from alembic.ini; restore it afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def schema_differences(database_url: str, instance_path: str) -> list:
    app = make_test_app(database_url, instance_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    return differences


def test_migrations_match_the_models_on_sqlite(tmp_path, keep_logging):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    assert schema_differences(url, str(tmp_path)) == []


def test_migrated_tables_are_all_the_model_tables(tmp_path, keep_logging):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    schema_differences(url, str(tmp_path))
    engine = sa.create_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables == set(db.metadata.tables) | {"alembic_version"}


def _postgres_url() -> str | None:
    url = os.environ.get("EAP_TEST_DATABASE_URL", "")
    return normalise_database_url(url) if url.startswith(("postgres", "postgresql")) else None


@pytest.mark.skipif(_postgres_url() is None, reason="EAP_TEST_DATABASE_URL is not PostgreSQL")
def test_migrations_match_the_models_on_postgresql(tmp_path, keep_logging):
    server_url = sa.make_url(_postgres_url())
    name = f"eap_migrations_{secrets.token_hex(4)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            fresh = server_url.set(database=name).render_as_string(hide_password=False)
            assert schema_differences(fresh, str(tmp_path)) == []
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
