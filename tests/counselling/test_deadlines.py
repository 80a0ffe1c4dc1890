"""Response deadlines in NRW working hours: weekends and public holidays do not count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eap.counselling import display
from eap.requests.deadlines import BERLIN, add_working_hours, is_working_day


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(("start", "hours", "due"), [
    # Friday afternoon → Monday morning (the weekend does not count)
    (berlin(2026, 11, 20, 16, 0), 4, berlin(2026, 11, 23, 10, 0)),
    # Saturday night → Monday
    (berlin(2026, 11, 21, 23, 0), 8, berlin(2026, 11, 23, 16, 0)),
    # Maundy Thursday → Good Friday and Easter Monday are holidays → Tuesday
    (berlin(2026, 4, 2, 17, 0), 2, berlin(2026, 4, 7, 9, 0)),
    # Corpus Christi (4 June 2026) is a holiday in NRW
    (berlin(2026, 6, 3, 17, 0), 3, berlin(2026, 6, 5, 10, 0)),
    # All Saints' Day (1 Nov 2027, a Monday) is a holiday in NRW
    (berlin(2027, 10, 29, 17, 0), 2, berlin(2027, 11, 2, 9, 0)),
    # Christmas: 24 Dec 2026 is a working day, 25/26 are holidays, then the weekend
    (berlin(2026, 12, 24, 17, 0), 2, berlin(2026, 12, 28, 9, 0)),
    # 48 working hours = 4.8 working days
    (berlin(2026, 11, 23, 8, 0), 48, berlin(2026, 11, 27, 16, 0)),
])
def test_deadlines_skip_weekends_and_nrw_holidays(start, hours, due):
    assert add_working_hours(start, hours) == due.astimezone(UTC)


def test_reformation_day_is_not_a_holiday_in_nrw():
    assert is_working_day(datetime(2028, 10, 31).date())  # a Tuesday; a holiday elsewhere
    assert not is_working_day(datetime(2026, 6, 4).date())  # Corpus Christi


def test_time_left_is_said_in_words():
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert display.deadline(datetime(2026, 11, 23, 9, 30, tzinfo=UTC), now)[0] == "overdue"
    state, text = display.deadline(datetime(2026, 11, 23, 14, 0, tzinfo=UTC), now)
    assert state == "soon" and "2 h 0 min" in text
    assert display.deadline(datetime(2026, 11, 25, 14, 0, tzinfo=UTC), now)[0] == "ok"
