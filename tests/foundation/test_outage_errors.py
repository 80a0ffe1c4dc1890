"""A database that does not answer: 503 with Retry-After and the friendly page; after a failed
write the page says to check whether it arrived instead of promising that nothing was lost."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eap.errors import RETRY_AFTER_SECONDS
from tests.conftest import make_test_app

LOST_NOTHING = "Nothing you entered before was lost"
CHECK = "check whether it arrived"


@pytest.fixture
def app(app):
    @app.route("/_test/write", methods=["POST"])
    def failing_write():
        raise RuntimeError("a crash in the middle of a write")

    @app.get("/_test/read")
    def failing_read():
        raise RuntimeError("a crash while reading")

    @app.route("/_test/db-down", methods=["GET", "POST"])
    def database_down():
        raise sa.exc.OperationalError("SELECT secret", {"p": "secret"}, OSError("refused"))

    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _page(answer) -> str:
    page = answer.get_data(as_text=True)
    assert "Traceback" not in page and "secret" not in page and "OperationalError" not in page
    return page


def test_a_failed_write_says_check_whether_it_arrived(client):
    answer = client.post("/_test/write", headers={"Accept-Language": "en"})
    assert answer.status_code == 500
    page = _page(answer)
    assert CHECK in page and LOST_NOTHING not in page
    german = _page(client.post("/_test/write", headers={"Accept-Language": "de"}))
    assert "angekommen ist" in german


def test_a_failed_read_still_says_nothing_was_lost(client):
    page = _page(client.get("/_test/read", headers={"Accept-Language": "en"}))
    assert LOST_NOTHING in page and CHECK not in page


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_database_errors_answer_503_with_retry_after(client, method):
    answer = client.open("/_test/db-down", method=method, headers={"Accept-Language": "en"})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = _page(answer)
    assert "Something went wrong" in page
    assert (CHECK in page) == (method == "POST")


def test_unreachable_database_on_a_real_page(tmp_path):
    """No database at all: a page that reads from it is the friendly 503 page."""
    app = make_test_app("postgresql+psycopg://postgres@127.0.0.1:9/none", str(tmp_path),
                        PAGE_CACHE_SECONDS=0)
    answer = app.test_client().get("/packages", headers={"Accept-Language": "en"})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Something went wrong" in answer.get_data(as_text=True)


def test_connection_lost_after_the_answer_keeps_the_answer(app, database_url):
    """The database goes away between a page's last query and the end of the request: the
    page that was made still goes out (the session's clean-up must not turn it into a bare
    500 of the server)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("terminates a PostgreSQL backend")
    from eap.extensions import db

    @app.get("/_test/read-then-lose")
    def read_then_lose():
        pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return "made before the loss"

    answer = app.test_client().get("/_test/read-then-lose")
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "made before the loss"
    # The next request gets a working connection.
    assert app.test_client().get("/readyz").get_json()["checks"]["database"] == "ok"
