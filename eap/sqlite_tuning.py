"""SQLite as a server's database: write-ahead log, a lock timeout instead of an error.

With the default rollback journal every write blocks every reader of the file, and each gunicorn
worker that finds the database locked fails at once. In WAL mode readers never wait for the one
writer, commits need fewer fsyncs (``synchronous=NORMAL`` is safe with WAL: a power cut can lose
the last commits, never corrupt the file), and a writer waits up to five seconds for the lock.
PostgreSQL connections are left alone. Backups must use SQLite's backup API
(docs/operations.md), which is consistent in WAL mode; a plain file copy is not.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000


def _tune(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        # An in-memory database answers "memory" and stays as it is.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def install() -> None:
    if not sa.event.contains(Engine, "connect", _tune):
        sa.event.listen(Engine, "connect", _tune)
