"""Fixtures of the on-call tests: windows made directly, a fixed clock, an admin client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eap.oncall.models import OnCallWindow
from eap.requests.deadlines import BERLIN
from tests.conftest import login_staff, persist
from tests.counselling.conftest import staff_client  # noqa: F401  (fixture)
from tests.requests.conftest import signed_up, working_code  # noqa: F401  (fixtures)

# Wednesday 2 December 2026 (no holiday in NRW), Berlin time.
OFFICE_HOURS = datetime(2026, 12, 2, 10, 0, tzinfo=BERLIN)
EVENING = datetime(2026, 12, 2, 20, 0, tzinfo=BERLIN)
CHRISTMAS = datetime(2026, 12, 25, 10, 0, tzinfo=BERLIN)  # a Friday, a public holiday
ONCALL_NUMBER = "0171 222 333 4"


@pytest.fixture
def make_window(app, make_staff):
    """``make_window(around=moment, staff=None, hours=2)``: a window running at ``around``."""

    def make(around: datetime = EVENING, staff=None, hours: float = 2, **fields):
        staff = staff or make_staff(role="counsellor", name="Erika Bereitschaft")
        return persist(app, OnCallWindow(
            staff_id=staff.id, starts_at=(around - timedelta(hours=hours / 2)).astimezone(UTC),
            ends_at=(around + timedelta(hours=hours / 2)).astimezone(UTC), **fields))

    return make


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)``: what the rota and the pages take for "now"."""
    from eap.oncall import notify, reachable

    def set_to(moment: datetime) -> datetime:
        moment = moment.astimezone(UTC)
        monkeypatch.setattr(reachable, "utcnow", lambda: moment)
        monkeypatch.setattr(notify, "utcnow", lambda: moment)
        return moment

    return set_to


@pytest.fixture
def admin_client(app, make_staff):
    member = make_staff(role="admin", name="Admin Person")
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    assert login_staff(client, member).status_code == 302
    return client, member
