"""One commit per request, at the boundary (eap/transactions.py, docs/architecture.md).

A source check keeps new ``commit()`` calls out of views and services; the behaviour tests run
real requests against the real database (SQLite or, with EAP_TEST_DATABASE_URL, PostgreSQL).
The few test-only views below stand for "a view that writes and then fails", which no real view
should do on purpose."""

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Response

from eap import transactions
from eap.employers.offer_models import OfferRequest
from eap.extensions import db
from tests.conftest import post_form

EAP = Path(__file__).resolve().parents[2] / "eap"
BOUNDARY = EAP / "transactions.py"
# Every module that commits in the middle of a request or command on purpose, with its count.
# A new one needs a reason: a ``# Deliberate commit:`` comment and a line in docs/architecture.md.
DELIBERATE = {
    "billing/views.py": 2,  # the order / the claimed version saved before Stripe is called
    "billing/services.py": 1,  # the Stripe customer saved before the next Stripe call
    "billing/webhook_views.py": 1,  # the event id, unique: a parallel delivery is told apart
    "billing/confirmation.py": 1,  # the confirmation claimed before its e-mail
    "billing/einvoice/mailing.py": 1,  # the e-invoice claimed before its e-mail
    "counselling/appointments.py": 1,  # the reminder claimed before its e-mail
    "counselling/page.py": 1,  # the audit of a case shown with a refused form
    "counselling/inbox_views.py": 1,  # the same on the assignment page
    "security/pressure.py": 1,  # the alert about many failed attempts
    "schedules.py": 2,  # a periodic job's slot claimed before it runs; given back on failure
}
OFFER = {"organisation": "Diakonie Musterstadt", "employee_count": 2400,
         "contact_name": "Max Muster", "email": "max@diakonie.example"}


def _calls(tree: ast.AST, name: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == name:
            yield node


def test_no_commit_outside_the_boundary_and_each_exception_is_named():
    stray, named = [], {}
    for path in sorted(EAP.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if path != BOUNDARY:
            stray += [f"{path.relative_to(EAP)}:{c.lineno}" for c in _calls(tree, "commit")]
        lines = source.splitlines()
        for call in _calls(tree, "commit_now"):
            above = "\n".join(lines[max(0, call.lineno - 5):call.lineno - 1])
            assert "# Deliberate commit:" in above, f"{path.relative_to(EAP)}:{call.lineno}"
            key = str(path.relative_to(EAP))
            named[key] = named.get(key, 0) + 1
    assert stray == [], "commit at the request boundary (eap/transactions.py), not here"
    assert named == DELIBERATE


def test_the_source_check_finds_a_bare_commit():
    tree = ast.parse("def view():\n    db.session.commit()\n")
    assert [c.lineno for c in _calls(tree, "commit")] == [2]


@pytest.fixture
def app_settings(mailbox):
    return {**mailbox.settings, "OFFER_REQUEST_EMAIL": "vertrieb@igus.example"}


def _offer(**values) -> OfferRequest:
    return OfferRequest(**{**OFFER, "employee_count": 5, **values})


def _offers(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OfferRequest))


def _route(app, rule: str, view) -> None:
    app.add_url_rule(rule, view.__name__, view)


def test_a_successful_post_is_saved_without_a_commit_in_the_view(app, english, mailbox):
    answer = post_form(english, "/offer", {**OFFER, "message": "Wir haben 14 Standorte."})
    assert answer.status_code == 303
    assert _offers(app) == 1
    # The e-mail waited for the commit (transactions.after_commit).
    assert "14 Standorte" in mailbox.body("vertrieb@igus.example")


def test_a_form_that_fails_validation_saves_nothing(app, english, mailbox):
    answer = post_form(english, "/offer", {**OFFER, "email": "not an address"})
    assert answer.status_code == 200 and "not an address" in answer.get_data(as_text=True)
    assert _offers(app) == 0 and mailbox.messages == []


def test_a_view_that_writes_and_then_raises_leaves_nothing(app, client):
    def write_then_raise():
        db.session.add(_offer())
        db.session.flush()  # in the database's transaction, not yet committed
        raise RuntimeError("after the write")

    _route(app, "/_test/write-then-raise", write_then_raise)
    answer = client.get("/_test/write-then-raise")
    assert answer.status_code == 500
    assert _offers(app) == 0


@pytest.mark.parametrize("status", [400, 409, 422])
def test_an_error_answer_rolls_back_its_writes_and_skips_its_side_effects(app, client, status):
    called = []

    def refuse():
        db.session.add(_offer())
        db.session.flush()
        transactions.after_commit(called.append, "sent")
        return "refused", status

    _route(app, "/_test/refuse", refuse)
    assert client.get("/_test/refuse").status_code == status
    assert _offers(app) == 0 and called == []


def test_a_redirect_commits_and_then_runs_the_side_effects(app, client):
    seen = []

    def write_then_redirect():
        db.session.add(_offer())
        transactions.after_commit(lambda: seen.append(_offers(app)))
        return "", 303, {"Location": "/"}

    _route(app, "/_test/redirect", write_then_redirect)
    assert client.get("/_test/redirect").status_code == 303
    assert seen == [1] and _offers(app) == 1


def test_a_failing_step_after_the_commit_does_not_undo_the_answer(app, client, caplog):
    """The database went away right after the commit (the PostgreSQL crash drill): the notice
    that needed it fails, but what the answer acknowledged is saved, and the answer stands."""
    later = []

    def fails():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    def write_then_redirect():
        db.session.add(_offer())
        transactions.after_commit(fails)
        transactions.after_commit(later.append, "the next step still runs")
        return "", 303, {"Location": "/"}

    _route(app, "/_test/fail-after-commit", write_then_redirect)
    assert client.get("/_test/fail-after-commit").status_code == 303
    assert _offers(app) == 1 and later == ["the next step still runs"]
    assert "fails failed: OperationalError" in caplog.text
    assert "SELECT 1" not in caplog.text  # the class name only, never the statement


def test_a_statement_written_without_the_orm_unit_of_work_is_committed_too(app, client):
    def insert_statement():
        db.session.execute(sa.insert(OfferRequest).values(**OFFER))  # no flush involved
        return "saved"

    _route(app, "/_test/insert-statement", insert_statement)
    assert client.get("/_test/insert-statement").status_code == 200
    assert _offers(app) == 1


def test_a_streamed_body_starts_after_the_commit(app, client):
    def stream():
        db.session.add(_offer())
        engine = db.engine

        def body():
            with engine.connect() as other:  # another connection sees only committed rows
                yield str(other.scalar(sa.select(sa.func.count()).select_from(OfferRequest)))

        return Response(body(), mimetype="text/plain")

    _route(app, "/_test/stream", stream)
    assert client.get("/_test/stream").get_data(as_text=True) == "1"


def test_a_commit_that_fails_at_the_boundary_gives_the_error_page(app, client, caplog):
    def invalid_row():
        db.session.add(_offer(organisation=None))  # NOT NULL: fails only at the commit
        return "this page must not be sent", 200

    _route(app, "/_test/invalid-row", invalid_row)
    answer = client.get("/_test/invalid-row")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 500 and "must not be sent" not in page
    assert "Traceback" not in page and "<html" in page.lower()
    assert answer.headers.get("Content-Security-Policy")  # the security headers still apply
    assert _offers(app) == 0


def test_a_cli_batch_commits_when_it_returns_and_rolls_back_when_it_fails(app):
    @transactions.cli_batch
    def works():
        db.session.add(_offer())

    @transactions.cli_batch
    def fails():
        db.session.add(_offer())
        db.session.flush()
        raise RuntimeError("half-way")

    with app.app_context():
        works()
        with pytest.raises(RuntimeError):
            fails()
    assert _offers(app) == 1
