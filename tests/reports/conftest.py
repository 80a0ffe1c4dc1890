"""Helpers for the report tests: real requests counted through ``eap.requests.counters``."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pytest

from eap.extensions import db
from eap.models import utcnow
from eap.reports import periods
from eap.requests import counters
from eap.requests.models import HelpRequest, RequesterAccount

DEFAULTS = dict(area="psychological", topic="stress", for_whom="self", urgency="normal",
                contact="messages", requester_type="employee")


@pytest.fixture(autouse=True)
def yearly_area_counted(monkeypatch):
    """The tests' years (the one before the running year) are counted with ``y_area`` from the
    start: the gate for the year the counter began in is tested on its own
    (test_releases.test_the_yearly_area_waits_for_a_whole_year_of_counting)."""
    from eap.reports import layout

    monkeypatch.setattr(layout, "YEAR_AREA_FROM", 2000)


def in_quarter(quarter: str) -> datetime:
    """A moment in the middle of ``quarter``."""
    return periods.quarter_start(quarter) + timedelta(days=40)


def last_quarter() -> str:
    return periods.last_completed_quarter()


def add_requests(app, organisation, count: int, at: datetime | None = None, code=None,
                 **fields) -> list[int]:
    """``count`` requests (one account each) counted as the request form would; their ids."""
    values = {**DEFAULTS, **fields}
    ids = []
    with app.app_context():
        for _ in range(count):
            account = RequesterAccount(
                case_key_digest=secrets.token_hex(16), recovery_digest=secrets.token_hex(16),
                passphrase_hash="x", organisation_id=organisation.id,
                access_code_id=code.id if code else None,
                requester_type=values["requester_type"],
            )
            db.session.add(account)
            db.session.flush()
            case = HelpRequest(
                account_id=account.id, organisation_id=organisation.id,
                submission_id=secrets.token_hex(16), area=values["area"],
                topic=values["topic"], for_whom=values["for_whom"],
                urgency=values["urgency"], priority=3,
                preferred_contact=values["contact"], language="de", description="x",
                response_due_at=utcnow() + timedelta(days=2),
                created_at=at or utcnow(),
            )
            db.session.add(case)
            db.session.flush()
            counters.record_request(case)
            ids.append(case.id)
        db.session.commit()
    return ids


def long_ago() -> datetime:
    """Two years before the last ended quarter started: a contract start with history."""
    return periods.quarter_start(periods.shift_quarter(last_quarter(), -8))


@pytest.fixture
def reporting_org(make_organisation, make_contract, make_access_code, make_hr_user):
    """(organisation, its owner, its primary code) with a 200-seat contract that started two
    years ago."""
    organisation = make_organisation()
    make_contract(organisation=organisation, seats=200, created_at=long_ago())
    code, _plain = make_access_code(organisation)
    return organisation, make_hr_user(organisation=organisation, role="owner"), code


def releases(app, organisation_id: int | None = None) -> list:
    """Every stored release (of one organisation), as (kind, period, cells, epsilon)."""
    import sqlalchemy as sa

    from eap.reports.models import ReportRelease

    with app.app_context():
        query = sa.select(ReportRelease).order_by(ReportRelease.id)
        if organisation_id is not None:
            query = query.where(ReportRelease.organisation_id == organisation_id)
        return [(r.kind, r.period, r.cells, r.epsilon) for r in db.session.scalars(query)]


def forget_releases(app) -> None:
    """Remove the stored releases: the next view draws afresh. Only tests may do this, to see
    the distribution of what HR could have been shown."""
    import sqlalchemy as sa

    from eap.reports.models import ReportRelease

    with app.app_context():
        db.session.execute(sa.delete(ReportRelease))
        db.session.commit()

