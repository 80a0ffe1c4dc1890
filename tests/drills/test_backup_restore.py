"""Drill: back up a database after a requester flow, restore it into a fresh database, and find
every case and message again, still decryptable with the same ``EAP_DATA_KEYS``.

The commands are the ones documented in docs/operations.md ("Backup and restore").
"""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.security.crypto import DecryptionError
from tests.drills.conftest import (
    assert_all_found,
    dispose,
    fresh_pg_database,
    new_app,
    read_everything,
    requester_flow,
    require_tool,
)

pytestmark = pytest.mark.drill


def _row_counts(app) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _wrong_key_fails(url: str, tmp_path) -> None:
    """The restored ciphertexts are not readable without the data key."""
    other = new_app(url, str(tmp_path / "other"),
                    DATA_KEYS="t1:" + "A" * 43 + "=")
    from eap.requests.models import Message

    with other.app_context(), pytest.raises(DecryptionError):
        [m.body for m in db.session.scalars(sa.select(Message))]
    dispose(other)


def test_sqlite_backup_and_restore(tmp_path):
    source_file = tmp_path / "eap.sqlite"
    source = new_app(f"sqlite:///{source_file}", str(tmp_path / "a"), create=True)
    flow = requester_flow(source, cases=3, replies=2)
    before = _row_counts(source)
    dispose(source)

    # Online backup with the sqlite3 backup API (what `sqlite3 eap.sqlite ".backup ..."` does):
    # consistent even while the portal is writing.
    backup_file = tmp_path / "backup.sqlite"
    with sqlite3.connect(source_file) as live, sqlite3.connect(backup_file) as backup:
        live.backup(backup)
    live.close()
    backup.close()
    source_file.unlink()  # the original is gone: only the backup is left

    restored_file = tmp_path / "restored.sqlite"
    restored_file.write_bytes(backup_file.read_bytes())
    restored = new_app(f"sqlite:///{restored_file}", str(tmp_path / "b"))
    assert _row_counts(restored) == before
    assert_all_found(flow, read_everything(restored))
    dispose(restored)
    _wrong_key_fails(f"sqlite:///{restored_file}", tmp_path)


def test_postgresql_backup_and_restore(tmp_path):
    pg_dump, pg_restore = require_tool("pg_dump"), require_tool("pg_restore")
    dump = tmp_path / "eap.dump"
    with fresh_pg_database("drill_src") as source_url:
        source = new_app(source_url.render_as_string(hide_password=False), str(tmp_path / "a"),
                         create=True)
        flow = requester_flow(source, cases=3, replies=2)
        before = _row_counts(source)
        dispose(source)
        connection = _libpq_args(source_url)
        subprocess.run([pg_dump, *connection, "--format=custom", "--file", str(dump)],
                       check=True, capture_output=True)
        plain = subprocess.run([pg_dump, *connection, "--format=plain"],
                               check=True, capture_output=True, text=True).stdout
    # The source database is dropped now: only the dump is left.
    for text in flow.descriptions + flow.messages + flow.callbacks:
        assert text not in plain, "plaintext in a database dump"
    assert "t1$" in plain

    with fresh_pg_database("drill_restore") as restored_url:
        subprocess.run(
            [pg_restore, *_libpq_args(restored_url), "--no-owner", "--exit-on-error",
             str(dump)],
            check=True, capture_output=True,
        )
        url = restored_url.render_as_string(hide_password=False)
        restored = new_app(url, str(tmp_path / "b"))
        assert _row_counts(restored) == before
        assert_all_found(flow, read_everything(restored))
        dispose(restored)
        _wrong_key_fails(url, tmp_path)


def _libpq_args(url: sa.engine.URL) -> list[str]:
    return ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database]
