"""The triage inbox: order, filters, deadline text, keyset pagination; suggestions ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eap.counselling import assignment, inbox
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import HelpRequest


def test_acute_first_then_deadline_with_overdue_in_words(app, make_case, staff_client):
    client, _me = staff_client("triage")
    now = utcnow()
    later = make_case(response_due_at=now + timedelta(hours=30), topic="grief")
    overdue = make_case(response_due_at=now - timedelta(hours=3), topic="debt")
    acute = make_case(response_due_at=now + timedelta(hours=50), priority=1, acute_danger=True)
    closed = make_case(status="closed", topic="legal")  # closed: not in the inbox
    page = client.get("/staff/cases/").get_data(as_text=True)
    positions = [page.index(f"/staff/cases/{c.public_id}/take") for c in (acute, overdue, later)]
    assert positions == sorted(positions)
    assert "Overdue:</strong> Overdue by 3 h" in page  # in words, not colour alone
    assert closed.public_id not in page
    for column in ("Urgency", "Response deadline", "Age", "Area", "Topic", "Language",
                   "Contact", "Package"):
        assert f'<th scope="col">{column}</th>' in page
    assert "Package 1" in page or "Paket 1" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("area=social", {"social"}),
    ("topic=debt", {"debt"}),
    ("language=tr", {"tr"}),
    ("urgency=urgent", {"urgent"}),
    ("overdue=1", {"overdue"}),
    ("area=<script>", {"psychological", "social", "debt", "tr", "urgent", "overdue"}),
])
def test_filters(app, make_case, query, expected):
    now = utcnow()
    made = {
        "psychological": make_case(),
        "social": make_case(area="social"),
        "debt": make_case(topic="debt"),
        "tr": make_case(language="tr"),
        "urgent": make_case(priority=2),
        "overdue": make_case(response_due_at=now - timedelta(minutes=5)),
    }
    by_id = {case.public_id: name for name, case in made.items()}
    with app.test_request_context(f"/?{query}"):
        from flask import request

        rows, _next = inbox.inbox_page(inbox.Filters.from_args(request.args), None, now, "en")
    names = {by_id[row.public_id] for row in rows}
    if query.startswith("area=<"):
        assert names == set(made)  # unknown values are ignored
    else:
        assert expected <= names and all(
            name in expected or name == "psychological" and query == "area=psychological"
            for name in names
        )


def test_keyset_pagination_without_offset(app, make_case, monkeypatch):
    monkeypatch.setattr(inbox, "PAGE_SIZE", 3)
    now = utcnow()
    same_due = now + timedelta(hours=5)
    made = [make_case(response_due_at=same_due if i % 2 else now + timedelta(hours=i))
            for i in range(8)]
    statements = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda *args: statements.append((args[2], args[3])))
        seen, cursor = [], None
        while True:
            rows, cursor = inbox.inbox_page(inbox.Filters(), cursor, now, "de")
            seen += [row.public_id for row in rows]
            if cursor is None:
                break
    assert sorted(seen) == sorted(case.public_id for case in made)
    assert len(seen) == len(set(seen))  # no duplicates, no gaps across equal deadlines
    # SQLite's dialect always writes "LIMIT ? OFFSET ?": the offset bound must stay 0
    for sql, params in statements:
        if "OFFSET" in sql.upper():
            assert sql.upper().rstrip().endswith("LIMIT ? OFFSET ?") and params[-1] == 0
        assert "description" not in sql  # only the shown columns are read


def test_the_inbox_query_walks_an_inbox_index(app, make_case):
    """The query the inbox really sends is answered from an inbox index in page order, without
    sorting: its cost follows the page, not the number of cases."""
    make_case()
    with app.app_context():
        sent = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            sent.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            with app.test_request_context():
                inbox.inbox_page(inbox.Filters(), None, utcnow(), "de")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        statement, parameters = next(
            (s, p) for s, p in sent if "FROM help_requests" in s and "ORDER BY" in s)
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "sqlite":  # without statistics, as usual there
                plan = str(connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters).all())
                assert "ix_help_requests_inbox" in plan and "TEMP B-TREE" not in plan
            else:  # a tiny test table: forbid the sequential scan to see what the index offers
                connection.exec_driver_sql("SET enable_seqscan = off")
                plan = str(connection.exec_driver_sql("EXPLAIN " + statement, parameters).all())
                connection.exec_driver_sql("RESET enable_seqscan")
                assert "ix_help_requests_inbox_open" in plan


def test_suggestions_rank_by_fit_then_room(app, make_case, make_staff):
    fits = make_staff(name="Fits", languages="tr,de", specialties="debt", yearly_capacity=300)
    full = make_staff(name="Full", languages="tr", specialties="debt", yearly_capacity=1)
    busy = make_staff(name="Busy", languages="de", specialties="", yearly_capacity=300)
    free = make_staff(name="Free", languages="de", specialties="", yearly_capacity=300)
    make_staff(name="Admin", role="admin")
    make_case(assigned_staff_id=full.id, status="in_progress")
    make_case(assigned_staff_id=busy.id, status="in_progress")
    case = make_case(topic="debt", language="tr")
    with app.app_context():
        ranked = assignment.suggestions(db.session.get(HelpRequest, case.id))
        names = [s.staff.name for s in ranked]
    assert names == ["Fits", "Full", "Free", "Busy"]
    assert ranked[1].at_capacity and ranked[3].open_now == 1
    assert fits.id and free.id
