"""Free appointment slots of a counsellor: weekly pattern, exceptions, NRW holidays, bookings,
and the busy times of the counsellor's own calendar.

All local times are Europe/Berlin; slots are returned as aware UTC datetimes. On NRW public
holidays the weekly pattern does not apply; an exception with extra hours still does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays
import sqlalchemy as sa

from eap.counselling.appointment_models import (
    BOOKED,
    Appointment,
    AvailabilityException,
    AvailabilityRule,
)
from eap.counselling.calendar_models import BusyInterval
from eap.extensions import db
from eap.models import utcnow
from eap.requests.deadlines import BERLIN

LEAD_TIME = timedelta(hours=2)  # the earliest slot a requester can book, from now
HORIZON_DAYS = 28  # how far ahead slots are offered


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # aware, UTC
    ends_at: datetime

    @property
    def key(self) -> str:
        """The slot as a form value: its start in UTC, ISO 8601."""
        return self.starts_at.strftime("%Y-%m-%dT%H:%MZ")


def parse_key(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=8)
def _nrw_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv="NW", years=year)


def is_holiday(day: date) -> bool:
    """A public holiday in North Rhine-Westphalia (as for the response deadlines)."""
    return day in _nrw_holidays(day.year)


def _windows(day: date, rules, exceptions) -> list[tuple[time, time, int]]:
    """The day's open windows (start, end, slot minutes) after its exceptions."""
    windows = [] if is_holiday(day) else [
        (r.starts, r.ends, r.slot_minutes) for r in rules if r.weekday == day.weekday()
    ]
    length = windows[0][2] if windows else (rules[0].slot_minutes if rules else 60)
    for exception in exceptions:
        if exception.day != day:
            continue
        if exception.available and exception.starts and exception.ends:
            windows.append((exception.starts, exception.ends, length))
        elif not exception.available:
            if exception.starts is None or exception.ends is None:
                return []
            windows = [w + (exception.starts, exception.ends) for w in windows]
            windows = [piece for w in windows for piece in _cut(*w)]
    return windows


def _cut(starts: time, ends: time, minutes: int, off_from: time, off_to: time):
    """The parts of a window outside ``off_from``–``off_to``."""
    if off_to <= starts or off_from >= ends:
        return [(starts, ends, minutes)]
    parts = []
    if off_from > starts:
        parts.append((starts, off_from, minutes))
    if off_to < ends:
        parts.append((off_to, ends, minutes))
    return parts


def _day_slots(day: date, windows) -> list[Slot]:
    slots = []
    for starts, ends, minutes in windows:
        cursor = datetime.combine(day, starts, BERLIN)
        closing = datetime.combine(day, ends, BERLIN)
        step = timedelta(minutes=minutes)
        while cursor + step <= closing:
            slots.append(Slot(cursor.astimezone(UTC), (cursor + step).astimezone(UTC)))
            cursor += step
    return slots


def booked_starts(staff_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    rows = db.session.execute(
        sa.select(Appointment.starts_at, Appointment.ends_at).where(
            Appointment.staff_id == staff_id, Appointment.status == BOOKED,
            Appointment.ends_at > start, Appointment.starts_at < end,
        )
    )
    return [(s, e) for s, e in rows]


def busy_between(staff_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Busy intervals read from the counsellor's own calendar (``calendars.py``)."""
    rows = db.session.execute(
        sa.select(BusyInterval.starts_at, BusyInterval.ends_at).where(
            BusyInterval.staff_id == staff_id, BusyInterval.ends_at > start,
            BusyInterval.starts_at < end,
        )
    )
    return [(s, e) for s, e in rows]


def free_slots(staff_id: int, now: datetime | None = None, days: int = HORIZON_DAYS) -> list[Slot]:
    """Every bookable slot of the counsellor from ``now`` + lead time over the next ``days``."""
    now = now or utcnow()
    first = now.astimezone(BERLIN).date()
    last = first + timedelta(days=days)
    rules = list(db.session.scalars(
        sa.select(AvailabilityRule).where(AvailabilityRule.staff_id == staff_id)
    ))
    exceptions = list(db.session.scalars(
        sa.select(AvailabilityException).where(
            AvailabilityException.staff_id == staff_id,
            AvailabilityException.day >= first, AvailabilityException.day <= last,
        )
    ))
    if not rules and not exceptions:
        return []
    candidates = []
    day = first
    while day <= last:
        candidates += _day_slots(day, _windows(day, rules, exceptions))
        day += timedelta(days=1)
    earliest = now + LEAD_TIME
    candidates = [s for s in candidates if s.starts_at >= earliest]
    if not candidates:
        return []
    span = (candidates[0].starts_at, max(s.ends_at for s in candidates))
    # booked appointments, and the busy times of the counsellor's own calendar (calendars.py)
    taken = booked_starts(staff_id, *span) + busy_between(staff_id, *span)
    return [
        s for s in sorted(set(candidates), key=lambda s: s.starts_at)
        if not any(b_start < s.ends_at and s.starts_at < b_end for b_start, b_end in taken)
    ]


def by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their Berlin day, in order."""
    groups: dict[date, list[Slot]] = {}
    for slot in slots:
        groups.setdefault(slot.starts_at.astimezone(BERLIN).date(), []).append(slot)
    return list(groups.items())
