"""Staff calendars: busy times from a counsellor's own calendar block their booking slots, and a
secret feed link shows the counsellor's appointments in their calendar (times only).

Busy times: the counsellor registers a private ICS (or CalDAV free-busy / ICS export) link on
their availability page; ``flask --app eap fetch-calendars`` (a timer) reads each one through
``calendar_fetch`` (SSRF-safe), and replaces that counsellor's busy intervals of the next
``HORIZON`` in one transaction. A failed fetch keeps the previous set and records when and why.

Feed: ``/calendar/<token>.ics`` lists the counsellor's booked appointments with their times and
a neutral summary — no name, topic, case or organisation; the UID is an opaque keyed digest.
Only the token's keyed digest is stored; a new link replaces it, and the old one answers 404.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event

from eap import transactions
from eap.counselling import calendar_fetch
from eap.counselling.appointment_models import BOOKED, Appointment
from eap.counselling.calendar_busy import NotACalendar, busy_times
from eap.counselling.calendar_models import BusyInterval, StaffCalendar
from eap.extensions import db
from eap.models import utcnow
from eap.security.binding import open_column
from eap.security.lookup import lookup_digest

HORIZON = timedelta(weeks=8)
FEED_PAST = timedelta(days=30)  # how far back the feed lists appointments
FEED_PURPOSE = "staff-calendar-feed"
UID_PURPOSE = "staff-calendar-feed-uid"

# What the counsellor reads about a refused link or a failed fetch.
REASONS = {
    "not https": _l("The link must start with https://."),
    "no host": _l("The link has no host name."),
    "not a valid link": _l("This is not a valid link."),
    "link too long": _l("This is not a valid link."),
    "user name or password in the link": _l("Please give a link without a user name or "
                                            "password."),
    "host not allowed": _l("This host cannot be used: calendars are read only from public "
                           "internet addresses."),
    "address not allowed": _l("This host cannot be used: calendars are read only from public "
                              "internet addresses."),
    "host not found": _l("The host was not found."),
    "took too long": _l("The calendar server took too long to answer."),
    "calendar too large": _l("The calendar is too large (more than 2 MB)."),
    "certificate not valid": _l("The calendar server's certificate is not valid."),
    "connection failed": _l("The calendar server could not be reached."),
    "not a calendar": _l("The answer was not a calendar (ICS)."),
}


def reason_text(reason: str | None) -> str:
    if not reason:
        return ""
    known = REASONS.get(reason)
    return str(known) if known is not None else reason


def calendar_of(staff_id: int, create: bool = False) -> StaffCalendar | None:
    row = db.session.scalar(sa.select(StaffCalendar).where(StaffCalendar.staff_id == staff_id))
    if row is None and create:
        row = StaffCalendar(staff_id=staff_id)
        db.session.add(row)
    return row


def url_problem(url: str) -> str | None:
    """Why the link cannot be registered (translated), or None (no DNS look-up here)."""
    try:
        calendar_fetch.check_url(url)
    except calendar_fetch.Refused as refused:
        return reason_text(str(refused))
    return None


def set_source(staff_id: int, url: str) -> StaffCalendar:
    """Register (or replace) the counsellor's calendar link; its busy times come with the next
    ``fetch-calendars`` (the previous set stays until then)."""
    row = calendar_of(staff_id, create=True)
    row.source_url = url.strip()
    row.failed_at = row.failure = None
    db.session.flush()
    return row


def remove_source(staff_id: int) -> None:
    """Forget the link and the busy times read from it."""
    row = calendar_of(staff_id)
    if row is not None:
        row.source_url = row.failed_at = row.failure = row.fetched_at = None
    db.session.execute(sa.delete(BusyInterval).where(BusyInterval.staff_id == staff_id))
    db.session.flush()


def store_busy(staff_id: int, intervals, now: datetime) -> None:
    """Replace the counsellor's busy intervals (one transaction with the caller's commit)."""
    db.session.execute(sa.delete(BusyInterval).where(BusyInterval.staff_id == staff_id))
    db.session.add_all([BusyInterval(staff_id=staff_id, starts_at=s, ends_at=e)
                        for s, e in intervals])
    row = calendar_of(staff_id, create=True)
    row.fetched_at, row.failed_at, row.failure = now, None, None
    db.session.flush()


def refresh(staff_id: int, url: str, now: datetime | None = None,
            fetch: Callable[[str], bytes] | None = None) -> bool:
    """Fetch one link and store its busy times; on failure keep the old set, note when and why."""
    now = now or utcnow()
    fetch = fetch or calendar_fetch.fetch
    try:
        intervals = busy_times(fetch(url), now, now + HORIZON)
    except (calendar_fetch.Refused, NotACalendar) as error:
        row = calendar_of(staff_id)
        if row is not None:
            row.failed_at, row.failure = now, str(error)[:200]
            db.session.flush()
        return False
    store_busy(staff_id, intervals, now)
    return True


def refresh_all(now: datetime | None = None,
                fetch: Callable[[str], bytes] | None = None) -> tuple[int, int]:
    """``fetch-calendars``: every registered link, one transaction per counsellor; no
    transaction is held open while a calendar server answers. Returns (read, failed)."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(StaffCalendar.staff_id, StaffCalendar.public_id, StaffCalendar.source_url)
        .where(StaffCalendar.source_url.isnot(None)).order_by(StaffCalendar.id)
    ).all()
    transactions.end_batch()  # nothing written: ends the read before the first fetch
    read = failed = 0
    for staff_id, row_public_id, sealed in rows:
        url = open_column(sealed, StaffCalendar.source_url, row_public_id)
        if refresh(staff_id, url, now, fetch):
            read += 1
        else:
            failed += 1
        transactions.end_batch()  # one transaction per counsellor
    return read, failed


# --- the secret feed of the counsellor's own appointments ----------------------------------


def new_feed_token(staff_id: int, now: datetime | None = None) -> str:
    """A new feed token (shown once); the previous link stops working."""
    token = secrets.token_urlsafe(32)
    row = calendar_of(staff_id, create=True)
    row.feed_digest = lookup_digest(FEED_PURPOSE, token)
    row.feed_created_at = now or utcnow()
    db.session.flush()
    return token


def feed_owner(token: str) -> int | None:
    """The staff member whose current feed token this is, or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(StaffCalendar.staff_id).where(
        StaffCalendar.feed_digest == lookup_digest(FEED_PURPOSE, token)))


def feed_ics(staff_id: int, now: datetime | None = None) -> bytes:
    """The counsellor's booked appointments: times and a neutral summary, nothing else."""
    now = now or utcnow()
    appointments = db.session.execute(
        sa.select(Appointment.public_id, Appointment.starts_at, Appointment.ends_at).where(
            Appointment.staff_id == staff_id, Appointment.status == BOOKED,
            Appointment.ends_at > now - FEED_PAST,
        ).order_by(Appointment.starts_at)
    ).all()
    calendar = Calendar()
    calendar.add("prodid", "-//EAP//calendar feed//EN")
    calendar.add("version", "2.0")
    summary = _("Appointment")
    stamp = now.replace(microsecond=0)
    for public_id, starts_at, ends_at in appointments:
        event = Event()
        event.add("uid", lookup_digest(UID_PURPOSE, public_id)[:32] + "@eap")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts_at)
        event.add("dtend", ends_at)
        event.add("summary", summary)
        calendar.add_component(event)
    return calendar.to_ical()
