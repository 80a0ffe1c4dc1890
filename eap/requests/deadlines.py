"""First-response deadlines in working hours of North Rhine-Westphalia.

Working hours are Monday to Friday, 8:00 to 18:00 (Europe/Berlin); weekends and the public
holidays of NRW (``holidays``, subdivision NW) do not count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BERLIN = ZoneInfo("Europe/Berlin")
DAY_START = time(8, 0)
DAY_END = time(18, 0)


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv="NW", years=year)


def is_public_holiday(day: date) -> bool:
    """A public holiday of NRW (also when it falls on a weekend)."""
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours after ``start`` (aware), returned in UTC."""
    local = start.astimezone(BERLIN)
    remaining = timedelta(hours=hours)
    day = local.date()
    cursor = local.time()
    while True:
        if is_working_day(day):
            begin = max(cursor, DAY_START)
            if begin < DAY_END:
                opening = datetime.combine(day, begin, BERLIN)
                closing = datetime.combine(day, DAY_END, BERLIN)
                if opening + remaining <= closing:
                    return (opening + remaining).astimezone(UTC)
                remaining -= closing - opening
        day += timedelta(days=1)
        cursor = time(0, 0)


def quarter_of(moment: datetime) -> str:
    """``2026Q4``: the coarsest time unit reports use (DESIGN.md §3.1)."""
    local = moment.astimezone(BERLIN)
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"
