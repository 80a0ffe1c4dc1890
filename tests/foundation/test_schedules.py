"""Periodic commands run once per slot across hosts (eap/schedules.py): started by the timers'
unit (EAP_SCHEDULED_RUN=1) a job claims its day or hour first; of two starts at the same moment
one runs; a failed run gives the slot back; run by hand a command always runs."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eap import schedules, transactions
from eap.extensions import db
from eap.schedules import JobRun


@pytest.fixture
def scheduled(monkeypatch):
    monkeypatch.setenv(schedules.SCHEDULED, "1")


def test_started_twice_in_one_slot_the_job_runs_once(app, scheduled):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["purge-chats"])
    second = runner.invoke(args=["purge-chats"])
    assert first.exit_code == second.exit_code == 0
    assert "guest chats deleted" in first.output
    assert "already run" in second.output and "guest chats deleted" not in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 1


def test_by_hand_a_command_always_runs(app, monkeypatch):
    monkeypatch.delenv(schedules.SCHEDULED, raising=False)
    runner = app.test_cli_runner()
    for _ in range(2):
        assert "guest chats deleted" in runner.invoke(args=["purge-chats"]).output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0


def test_two_hosts_starting_at_the_same_moment_make_one_run(app, scheduled):
    """Run on PostgreSQL for real overlap (EAP_TEST_DATABASE_URL); SQLite serialises."""
    starts = 4
    barrier = threading.Barrier(starts, timeout=30)
    ran: list[int] = []

    @schedules.run_once("drill-job", "daily")
    @transactions.cli_batch
    def job(i: int) -> None:
        ran.append(i)

    def host(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                job(i)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=host, args=(i,)) for i in range(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(ran) == 1


def test_a_failed_run_gives_its_slot_back(app, scheduled):
    attempts: list[int] = []

    @schedules.run_once("flaky-job", "hourly")
    @transactions.cli_batch
    def job() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the mail server is away")

    with app.app_context():
        with pytest.raises(RuntimeError):
            job()
        job()  # the timer's next start
        job()  # then the slot is taken
        db.session.remove()
    assert len(attempts) == 2


def test_every_timer_job_is_marked_to_run_once(app):
    """The timers' commands each claim their slot (a new timer's command must too)."""
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
    commands = {t.read_text().split("Unit=eap-job@")[1].split(".service")[0]
                for t in deploy.glob("eap-*.timer")}
    for name in commands:
        command = app.cli.get_command(app.app_context(), name)
        assert command is not None, name
        layer, marks = command.callback, []
        while layer is not None:
            marks.append(getattr(layer, "schedule", None))
            layer = getattr(layer, "__wrapped__", None)
        assert any(mark and mark[0] == name for mark in marks), f"{name} does not claim a slot"
    assert "EAP_SCHEDULED_RUN=1" in (deploy / "eap-job@.service").read_text()


def test_old_slot_claims_are_purged_with_the_audit_log(app):
    from datetime import timedelta

    from eap.models import utcnow

    with app.app_context():
        db.session.add_all([JobRun(job="x", slot="2026-01-01", started_at=utcnow()
                                   - timedelta(days=120)),
                            JobRun(job="x", slot="today", started_at=utcnow())])
        db.session.commit()
    output = app.test_cli_runner().invoke(args=["purge-audit-log"]).output
    assert "Periodic job runs older than 90 days removed: 1" in output
    with app.app_context():
        assert db.session.scalars(sa.select(JobRun.slot)).all() == ["today"]
