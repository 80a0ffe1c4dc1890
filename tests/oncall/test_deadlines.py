"""Response deadlines keep the working hours of NRW (eap.requests.deadlines) unless the request
is acute: then the package's urgent promise counts every hour, at night and at weekends too
(whoever is on call answers); a rota window changes no deadline by itself."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from eap.extensions import db
from eap.requests.models import HelpRequest
from tests.requests.conftest import send_request

# Friday 4 December 2026, 17:00 Berlin = 16:00 UTC; the package promises 24 working hours,
# 8 when urgent (tests/conftest.py make_package).
FRIDAY_EVENING = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def test_deadlines_keep_working_hours_during_a_window(app, client, signed_up, make_window,
                                                      monkeypatch):
    from eap.requests import cases

    monkeypatch.setattr(cases, "utcnow", lambda: FRIDAY_EVENING)
    make_window(around=FRIDAY_EVENING, hours=60)  # the whole weekend on call
    assert send_request(client, danger="no").status_code == 302
    assert send_request(client, danger="yes").status_code == 302
    with app.app_context():
        due = dict(db.session.execute(sa.select(HelpRequest.acute_danger,
                                                HelpRequest.response_due_at)).all())
    # normal: 1 h on Friday, 10 h Monday, 10 h Tuesday, 3 h Wednesday → Wed 9 Dec 11:00 Berlin
    assert due[False] == datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
    # acute: the urgent promise of 8 hours, around the clock → Saturday 5 Dec 01:00 Berlin
    assert due[True] == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
