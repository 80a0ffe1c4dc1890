"""Closing a quarter: draw and store every organisation's releases once the quarter has ended.

Run daily by cron (``flask --app eap close-quarter``); it draws only what is not stored yet, so
running it twice, or after a first HR view drew a release lazily, changes nothing.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from eap import schedules, transactions
from eap.billing import contracts
from eap.billing.models import Contract
from eap.extensions import db
from eap.reports import periods, release


def close_quarter(quarter: str, now=None) -> int:
    """Store the quarter's release (and, after a fourth quarter, the year's) for every
    organisation whose contract had started by the quarter's end; returns how many were new."""
    organisation_ids = db.session.scalars(
        sa.select(Contract.organisation_id).distinct()
        .where(contracts.has_started_sql(),
               Contract.created_at < periods.quarter_end(quarter))
        .order_by(Contract.organisation_id)
    ).all()
    drawn = 0
    for organisation_id in organisation_ids:
        wanted = [(release.QUARTER, quarter)]
        if quarter.endswith("Q4"):
            wanted.append((release.YEAR, quarter[:4]))
        for kind, period in wanted:
            if release.stored(organisation_id, kind, period) is None:
                release.get_or_draw(organisation_id, kind, period, now)
                drawn += 1
        transactions.end_batch()  # one organisation at a time
    return drawn


@click.command("close-quarter")
@click.option("--quarter", help="e.g. 2026Q3; by default the last ended quarter")
@with_appcontext
@schedules.run_once("close-quarter", "daily")
@transactions.cli_batch
def close_quarter_command(quarter: str | None) -> None:
    """Draw and store the employer reports of an ended quarter (idempotent)."""
    quarter = quarter or periods.last_completed_quarter()
    if periods.parse_quarter(quarter) is None:
        raise click.ClickException("Give the quarter as YYYYQn, e.g. 2026Q3.")
    if not release.ended(release.QUARTER, quarter):
        raise click.ClickException(f"{quarter} has not ended yet.")
    click.echo(f"{quarter}: {close_quarter(quarter)} release(s) drawn and stored.")
