"""Busy times from an ICS calendar or free-busy export (``icalendar``; recurrences: ``dateutil``).

Read: ``VEVENT`` (not ``TRANSP:TRANSPARENT``, not ``STATUS:CANCELLED``) with ``DTEND`` or
``DURATION``; all-day events block their whole Berlin days; floating times are Berlin time.
Recurring events: ``RRULE`` expanded over the window, ``RDATE`` added, ``EXDATE`` removed, an
instance changed on its own (``RECURRENCE-ID``) replaces the rule's occurrence. ``VFREEBUSY``:
every ``FREEBUSY`` period except ``FBTYPE=FREE``. Limits: rules repeating more often than hourly
are ignored; at most ``MAX_INTERVALS`` intervals are kept. Only times are returned — nothing of
the summary, location or attendees.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrulestr
from icalendar import Calendar, vRecur

from eap.requests.deadlines import BERLIN

MAX_INTERVALS = 5000
MAX_OCCURRENCES = 2000  # per recurring event, within the window
TOO_OFTEN = {"SECONDLY", "MINUTELY"}


class NotACalendar(ValueError):
    """The data is not a calendar the portal can read."""


def _aware(value) -> datetime:
    """A DTSTART-like value as an aware datetime (dates: Berlin midnight; floating: Berlin)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=BERLIN)
    if isinstance(value, date):
        return datetime.combine(value, time(0), BERLIN)
    raise TypeError(value)


def _values(component, name: str) -> list:
    """The ``.dt`` values of a date-list property that may appear several times."""
    found = component.get(name)
    if found is None:
        return []
    lists = found if isinstance(found, list) else [found]
    return [item.dt for entry in lists for item in getattr(entry, "dts", [entry])]


def _length(event, start) -> timedelta:
    if event.get("DTEND") is not None:
        return _aware(event["DTEND"].dt) - _aware(start)
    if event.get("DURATION") is not None:
        return event["DURATION"].dt
    return timedelta(days=1) if not isinstance(start, datetime) else timedelta(0)


def _occurrences(event, start, length: timedelta, lo: datetime, hi: datetime) -> list[datetime]:
    """The starts of the event's occurrences overlapping lo–hi (aware)."""
    first = _aware(start)
    rules = event.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
    starts = [first]
    if rules:
        starts = []
        zone = first.tzinfo
        naive_start = first.replace(tzinfo=None)
        for rule in rules:
            recur = vRecur(rule)
            if any(str(f).upper() in TOO_OFTEN for f in recur.get("FREQ", [])):
                continue
            until = recur.get("UNTIL")
            if until:
                bound = until[0]
                if isinstance(bound, datetime) and bound.tzinfo:
                    bound = bound.astimezone(zone).replace(tzinfo=None)
                elif not isinstance(bound, datetime):
                    bound = datetime.combine(bound, time(23, 59, 59))
                recur["UNTIL"] = [bound]
            expanded = rrulestr(recur.to_ical().decode(), dtstart=naive_start)
            after = (lo - length).astimezone(zone).replace(tzinfo=None)
            for moment in itertools.islice(expanded.xafter(after, inc=True), MAX_OCCURRENCES):
                aware = moment.replace(tzinfo=zone)
                if aware >= hi:
                    break
                starts.append(aware)
    starts += [_aware(value) for value in _values(event, "RDATE")
               if isinstance(value, date | datetime)]
    excluded = {_aware(value).astimezone(UTC) for value in _values(event, "EXDATE")}
    return [s for s in starts if s.astimezone(UTC) not in excluded]


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged[:MAX_INTERVALS]


def busy_times(data: bytes, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
    """Merged busy intervals (aware UTC) of the calendar that overlap lo–hi, clipped to it."""
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise NotACalendar("not a calendar") from error
    if calendar.name != "VCALENDAR":
        raise NotACalendar("not a calendar")
    events = list(calendar.walk("VEVENT"))
    replaced: dict[str, set[datetime]] = {}
    for event in events:
        if event.get("RECURRENCE-ID") is not None:
            replaced.setdefault(str(event.get("UID", "")), set()).add(
                _aware(event["RECURRENCE-ID"].dt).astimezone(UTC))
    found: list[tuple[datetime, datetime]] = []
    for event in events:
        if (str(event.get("TRANSP", "")).upper() == "TRANSPARENT"
                or str(event.get("STATUS", "")).upper() == "CANCELLED"
                or event.get("DTSTART") is None):
            continue
        try:
            start = event["DTSTART"].dt
            length = _length(event, start)
            if length <= timedelta(0):
                continue
            starts = _occurrences(event, start, length, lo, hi)
        except (TypeError, ValueError, AttributeError, KeyError):
            continue  # one unreadable event does not spoil the rest
        skip = replaced.get(str(event.get("UID", ""))) if event.get("RECURRENCE-ID") is None \
            else None
        for occurrence in starts:
            if skip and occurrence.astimezone(UTC) in skip:
                continue
            found.append((occurrence.astimezone(UTC), (occurrence + length).astimezone(UTC)))
        if len(found) > MAX_INTERVALS * 4:
            break
    for busy in calendar.walk("VFREEBUSY"):
        periods = busy.get("FREEBUSY")
        for period in periods if isinstance(periods, list) else [periods] if periods else []:
            if str(period.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                continue
            try:
                start, end = period.dt
                start = _aware(start)
                end = start + end if isinstance(end, timedelta) else _aware(end)
            except (TypeError, ValueError):
                continue
            found.append((start.astimezone(UTC), end.astimezone(UTC)))
    clipped = [(max(s, lo), min(e, hi)) for s, e in found if e > lo and s < hi]
    return _merge(clipped)
