"""The retention purge (DESIGN.md §3.6): closed cases and inactive requester accounts go.

A case closed longer ago than ``RETENTION_CLOSED_MONTHS`` is deleted with every row that hangs
on it (messages, notes, events, referrals, case work — found through the foreign keys, so a table
added later is not forgotten). A requester account without an open case and without a visit for
``RETENTION_INACTIVE_MONTHS`` goes with all its requests. The anonymous usage counters have no
link to either and stay. Run it from cron: ``flask --app eap purge-expired``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app

from eap.extensions import db
from eap.requests import choices
from eap.requests.models import HelpRequest, RequesterAccount

BATCH_SIZE = 200


def now() -> datetime:
    """The purge's clock (one function, so tests can move time)."""
    return datetime.now(UTC)


def _months(name: str) -> int:
    return int(current_app.config[name])


def expired_case_ids(moment: datetime) -> list[int]:
    cutoff = moment - relativedelta(months=_months("RETENTION_CLOSED_MONTHS"))
    closed_at = sa.func.coalesce(HelpRequest.closed_at, HelpRequest.created_at)
    return list(db.session.scalars(
        sa.select(HelpRequest.id)
        .where(HelpRequest.status == "closed", closed_at < cutoff)
        .order_by(HelpRequest.id)
    ))


def expired_account_ids(moment: datetime) -> list[int]:
    cutoff = (moment - relativedelta(months=_months("RETENTION_INACTIVE_MONTHS"))).date()
    open_case = sa.exists().where(
        HelpRequest.account_id == RequesterAccount.id,
        HelpRequest.status.in_(choices.OPEN_STATUSES),
    )
    return list(db.session.scalars(
        sa.select(RequesterAccount.id)
        .where(RequesterAccount.last_seen_on < cutoff, ~open_case)
        .order_by(RequesterAccount.id)
    ))


def _referrers(table: sa.Table):
    """(child table, foreign key) for every foreign key that points at ``table``."""
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                yield child, fk


def _delete(table: sa.Table, where, counts: Counter, depth: int = 0) -> None:
    """Delete the rows of ``table`` matching ``where``, children first: no orphan is left."""
    if depth > 5:
        raise RuntimeError("foreign keys nest too deep for the purge")
    for child, fk in _referrers(table):
        parents = sa.select(fk.column).where(where).scalar_subquery()
        if (fk.ondelete or "").upper() == "SET NULL":
            db.session.execute(
                sa.update(child).where(fk.parent.in_(parents)).values({fk.parent.name: None})
            )
        else:
            _delete(child, fk.parent.in_(parents), counts, depth + 1)
    counts[table.name] += db.session.execute(table.delete().where(where)).rowcount or 0


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def plan(moment: datetime | None = None) -> tuple[list[int], list[int]]:
    """(case ids, account ids) that the purge would delete now."""
    moment = moment or now()
    return expired_case_ids(moment), expired_account_ids(moment)


def purge(
    case_ids: list[int], account_ids: list[int], counts: Counter, batch_size: int = BATCH_SIZE
) -> Iterator[int]:
    """Delete in batches; after each (flushed) batch yields how many items it handled.

    The caller commits after every step, so a long purge never holds one huge transaction.
    """
    cases, accounts = HelpRequest.__table__, RequesterAccount.__table__
    for batch in _batches(case_ids, batch_size):
        _delete(cases, cases.c.id.in_(batch), counts)
        yield len(batch)
    for batch in _batches(account_ids, batch_size):
        _delete(accounts, accounts.c.id.in_(batch), counts)
        yield len(batch)


def purge_all(moment: datetime | None = None) -> Counter:
    """The whole purge in one go (tests and callers without a progress bar); flushes only."""
    counts: Counter = Counter()
    for _step in purge(*plan(moment), counts):
        pass
    return counts
