"""Periodic commands run once per slot, however many hosts start them.

Every host may carry the timers (deploy/systemd/eap-*.timer); each starts its command through
``eap-job@.service``, which sets ``EAP_SCHEDULED_RUN=1``. A command marked ``@run_once(name,
"daily"|"hourly")`` then first claims its slot (the Berlin day or hour) with one row in
``job_runs`` (unique per job and slot) and commits that claim on its own, so every other host
sees it before the job starts: of two hosts starting ``close-quarter`` at the same minute, one
runs and the other prints that the slot was taken. A job that fails gives its claim back, so
the timer's next start (``Persistent=true``) runs it again. Run by hand (no
``EAP_SCHEDULED_RUN``), a command always runs.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from eap import transactions
from eap.extensions import db
from eap.models import UTCDateTime, utcnow

SLOT_FORMATS = {"hourly": "%Y-%m-%dT%H", "daily": "%Y-%m-%d"}
LOCAL = ZoneInfo("Europe/Berlin")
SCHEDULED = "EAP_SCHEDULED_RUN"


class JobRun(db.Model):
    """One periodic job's run in one slot (counts and times only, never a result)."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "slot", name="one_run_per_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    slot: Mapped[str] = mapped_column(String(16))
    host: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def slot_of(period: str, moment: datetime | None = None) -> str:
    return (moment or utcnow()).astimezone(LOCAL).strftime(SLOT_FORMATS[period])


def claim(job: str, period: str, moment: datetime | None = None) -> str | None:
    """The slot if this call claimed it (committed at once), None if another run has it."""
    slot = slot_of(period, moment)
    try:
        with db.session.begin_nested():
            db.session.add(JobRun(job=job, slot=slot, host=os.uname().nodename[:64]))
    except IntegrityError:
        return None
    # Deliberate commit: every other host must see the claim before this job starts.
    transactions.commit_now("a periodic job's claim, visible to every host before it runs")
    return slot


def give_back(job: str, slot: str) -> None:
    db.session.rollback()
    db.session.execute(sa.delete(JobRun).where(JobRun.job == job, JobRun.slot == slot))
    # Deliberate commit: the failed run's slot is free again for the timer's next start.
    transactions.commit_now("a failed periodic job gives its slot back")


def run_once(job: str, period: str) -> Callable:
    """Mark a periodic CLI command (below ``@with_appcontext``, above ``cli_batch``)."""
    if period not in SLOT_FORMATS:
        raise ValueError(period)

    def decorator(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapped(*args, **kwargs):
            if os.environ.get(SCHEDULED) != "1":
                return command(*args, **kwargs)
            slot = claim(job, period)
            if slot is None:
                click.echo(f"{job}: already run for {slot_of(period)} (another host or an "
                           "earlier start); nothing to do")
                return None
            try:
                return command(*args, **kwargs)
            except Exception:
                give_back(job, slot)
                raise

        wrapped.schedule = (job, period)  # tests/foundation/test_schedules.py reads it
        return wrapped

    return decorator


def purge_old(keep_days: int = 90) -> int:
    """Runs older than ``keep_days`` go (the table only needs the current slots)."""
    from datetime import timedelta

    result = db.session.execute(sa.delete(JobRun).where(
        JobRun.started_at < utcnow() - timedelta(days=keep_days)))
    return result.rowcount
