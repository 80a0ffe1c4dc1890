"""The retention purge with frozen time: no orphan row, no plaintext, counters survive."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eap.counselling import referrals, retention
from eap.counselling.models import CaseNote, CaseReferral, CaseWork
from eap.extensions import db
from eap.requests.models import CaseEvent, HelpRequest, Message, RequesterAccount, UsageCounter

NOW = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
SECRET = "Vertraulicher Inhalt 4711"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(retention, "now", lambda: NOW)
    return NOW


def _fill(app, case):
    """Every kind of row that hangs on a case, each holding the secret text."""
    with app.app_context():
        referrals.seed_defaults()
        service = referrals.active_services()[0]
        db.session.add_all([
            Message(case_id=case.id, author="requester", body=SECRET),
            CaseNote(case_id=case.id, body=SECRET),
            CaseEvent(case_id=case.id, kind="status", reason=SECRET, version=2),
            CaseReferral(case_id=case.id, service_id=service.id, note=SECRET),
            CaseWork(case_id=case.id, contacts_count=3, outcome="resolved"),
        ])
        db.session.commit()


def test_purge_with_frozen_time(app, frozen, make_account, make_case):
    old_closed = make_case(status="closed", closed_at=NOW - timedelta(days=370))
    young_closed = make_case(status="closed", closed_at=NOW - timedelta(days=300))
    inactive = make_account(last_seen_on=date(2026, 1, 2))
    inactive_case = make_case(account=inactive, status="closed", closed_at=NOW - timedelta(days=30))
    busy = make_account(last_seen_on=date(2025, 1, 1))
    open_case = make_case(account=busy, status="in_progress")  # an open case keeps its account
    for case in (old_closed, young_closed, inactive_case, open_case):
        _fill(app, case)
    with app.app_context():
        db.session.add(UsageCounter(organisation_id=old_closed.organisation_id, quarter="2026Q1",
                                    dimension="total", value="all", count=7))
        db.session.commit()

        counts = retention.purge_all(retention.now())
        db.session.commit()

        left = set(db.session.scalars(sa.select(HelpRequest.public_id)))
        assert left == {young_closed.public_id, open_case.public_id}
        accounts = set(db.session.scalars(sa.select(RequesterAccount.id)))
        assert inactive.id not in accounts and busy.id in accounts
        assert counts["help_requests"] == 2 and counts["requester_accounts"] == 1
        kept_ids = {young_closed.id, open_case.id}
        for model in (Message, CaseNote, CaseEvent, CaseReferral, CaseWork):
            case_ids = set(db.session.scalars(sa.select(model.case_id)))
            assert case_ids == kept_ids, model.__tablename__  # no orphan rows
        assert db.session.scalar(sa.select(sa.func.sum(UsageCounter.count))) == 7


def test_nothing_is_purged_before_its_time(app, monkeypatch, make_case):
    case = make_case(status="closed", closed_at=NOW - timedelta(days=200))
    monkeypatch.setattr(retention, "now", lambda: NOW)
    with app.app_context():
        assert retention.plan() == ([], [])
    monkeypatch.setattr(retention, "now", lambda: NOW + timedelta(days=200))
    with app.app_context():
        assert retention.plan()[0] == [case.id]


def test_the_period_is_configurable_and_the_command_prints_counts_only(
    app, frozen, make_case, tmp_path
):
    app.config["RETENTION_CLOSED_MONTHS"] = 1  # as EAP_RETENTION_CLOSED_MONTHS=1 would
    case = make_case(status="closed", closed_at=NOW - timedelta(days=40))
    _fill(app, case)
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "help_requests: 1 row(s) deleted" in result.output
    assert "case_notes: 1 row(s) deleted" in result.output
    assert SECRET not in result.output and case.public_id not in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id))) == 0
        for table in ("request_messages", "case_notes", "case_events", "case_referrals",
                      "case_work"):
            assert db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 0
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if database.startswith("sqlite:///"):
        with open(database.removeprefix("sqlite:///"), "rb") as handle:
            assert SECRET.encode() not in handle.read()  # encrypted, so never on disk
