"""Every moment column (``eap.models.UTCDateTime``) stores UTC and reads back an aware UTC
datetime, on SQLite as on PostgreSQL (run with ``EAP_TEST_DATABASE_URL`` for the latter)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from eap.extensions import db
from eap.models import UTCDateTime
from eap.staff.models import StaffUser

BERLIN = ZoneInfo("Europe/Berlin")


def test_every_moment_column_is_utc_aware():
    naive_columns = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables for column in table.columns
        if isinstance(column.type, sa.DateTime) and not isinstance(column.type, UTCDateTime)
    ]
    assert naive_columns == []


def test_a_moment_comes_back_aware_in_utc(app, make_staff):
    # 18:30 in Berlin (winter) is 17:30 UTC; SQLite would keep "18:30" without the type.
    moment = datetime(2026, 11, 30, 18, 30, tzinfo=BERLIN)
    staff = make_staff()
    with app.app_context():
        db.session.get(StaffUser, staff.id).last_login_at = moment
        db.session.commit()
    with app.app_context():
        stored = db.session.get(StaffUser, staff.id).last_login_at
        assert stored.tzinfo is UTC
        assert stored == moment and stored.hour == 17
        # Bound values are compared in UTC too, and SQL functions hand back the same type.
        later = datetime(2026, 11, 30, 17, 45, tzinfo=UTC)
        found = db.session.scalar(sa.select(sa.func.count()).select_from(StaffUser)
                                  .where(StaffUser.last_login_at < later))
        assert found == 1
        latest = db.session.scalar(sa.select(sa.func.max(StaffUser.last_login_at)))
        assert latest.tzinfo is UTC and latest == moment


def test_a_naive_moment_is_taken_as_utc(app, make_staff):
    staff = make_staff()
    with app.app_context():
        db.session.get(StaffUser, staff.id).last_login_at = datetime(2026, 11, 30, 17, 30)
        db.session.commit()
    with app.app_context():
        stored = db.session.get(StaffUser, staff.id).last_login_at
        assert stored == datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
        assert stored.utcoffset() == timedelta(0)
