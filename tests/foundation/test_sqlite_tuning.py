"""SQLite files are opened in write-ahead-log mode with a lock timeout."""

import sqlite3
import threading

import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import make_test_app


def test_sqlite_file_database_uses_wal_and_waits_for_locks(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'tuned.sqlite'}", str(tmp_path))
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
            assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        db.engine.dispose()
    # The mode is stored in the file: a plain sqlite3 connection sees it too.
    with sqlite3.connect(tmp_path / "tuned.sqlite") as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_writer_waits_instead_of_failing(tmp_path):
    """While one connection holds the write lock, another one's write waits and then succeeds."""
    app = make_test_app(f"sqlite:///{tmp_path / 'locks.sqlite'}", str(tmp_path))
    with app.app_context():
        with db.engine.begin() as setup:
            setup.execute(sa.text("CREATE TABLE t (n INTEGER)"))
        first = db.engine.connect()
        first.execute(sa.text("BEGIN IMMEDIATE"))
        first.execute(sa.text("INSERT INTO t VALUES (1)"))
        timer = threading.Timer(0.3, lambda: (first.execute(sa.text("COMMIT")), first.close()))
        timer.start()
        with db.engine.begin() as second:  # would raise "database is locked" without the timeout
            second.execute(sa.text("INSERT INTO t VALUES (2)"))
        timer.join()
        with db.engine.connect() as check:
            assert check.execute(sa.text("SELECT count(*) FROM t")).scalar() == 2
        db.engine.dispose()

