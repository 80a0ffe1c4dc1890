"""THE place that writes the anonymous counters the reports read.

Per organisation and quarter (``UsageCounter``, the rule lives with the request in
``eap.requests.cases.count_request`` and is called from here) and service-wide per month
(``ServiceCounter``). Counters carry codes only: never a case, account or message id, so they
stay right after cases are purged or a requester erases their data.

The counselling feature calls :func:`record_first_response` and :func:`record_closed`
(and, for appointments and referrals, the functions at the end of this module).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eap.extensions import db
from eap.models import utcnow
from eap.reports.models import ServiceCounter
from eap.requests import cases as request_cases
from eap.requests.deadlines import BERLIN

# ServiceCounter dimensions
AREA = "area"  # requests per month (of the request) and area
FIRST_RESPONSE = "first_response"  # "on_time" / "late", month of the request
COUNSELLOR = "counsellor"  # staff id of the assignee, month of the first response
CLOSED = "closed"  # "all", month of closing


def month_of(moment: datetime) -> str:
    """``2026-11`` in Berlin time, like ``quarter_of`` (naive datetimes are UTC)."""
    if moment.tzinfo is None:  # SQLite hands back naive datetimes
        moment = moment.replace(tzinfo=utcnow().tzinfo)
    return moment.astimezone(BERLIN).strftime("%Y-%m")


def record_request(case) -> None:
    """A new request: the organisation's quarterly counters and the service's monthly ones."""
    request_cases.count_request(case.account, case)
    bump(month_of(case.created_at or utcnow()), AREA, case.area)


def record_first_response(case, on_time: bool) -> None:
    """The first answer to a request: within the promised time or not, and by whom."""
    bump(month_of(case.created_at), FIRST_RESPONSE, "on_time" if on_time else "late")
    if case.assigned_staff_id is not None:
        bump(month_of(utcnow()), COUNSELLOR, str(case.assigned_staff_id))


def record_closed(case) -> None:
    bump(month_of(case.closed_at or utcnow()), CLOSED, "all")


def bump(month: str, dimension: str, value: str) -> None:
    """Add one to a cell, creating it if needed; safe when two requests race for it."""
    where = (
        ServiceCounter.month == month,
        ServiceCounter.dimension == dimension,
        ServiceCounter.value == value,
    )
    increment = sa.update(ServiceCounter).where(*where).values(count=ServiceCounter.count + 1)
    if db.session.execute(increment).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                ServiceCounter(month=month, dimension=dimension, value=value, count=1)
            )
    except IntegrityError:  # another transaction created the cell meanwhile
        db.session.execute(increment)


# --- appointments, sessions and referrals (issue 20) ---------------------------------------
EXTRA_SESSIONS = "extra_sessions"  # UsageCounter dimension, value "requested"
REFERRAL_FOLLOW_UP = "referral_follow_up"  # ServiceCounter: "reached" / "not_reached" / "helped_*"


def record_extra_sessions_requested(case) -> None:
    """A requester at the session limit asked for more: one more in the organisation's cell of
    this quarter, with no link to the case. It may reach HR only through the report's private
    release (dimension ``extra_sessions``, value ``requested``; see docs/counselling.md)."""
    from eap.requests.deadlines import quarter_of

    _usage_plus_one(case.organisation_id, quarter_of(utcnow()), EXTRA_SESSIONS, "requested")


def record_referral_follow_up(reached: str, helped: str | None) -> None:
    """A requester answered the follow-up question of a referral (admin figures only)."""
    month = month_of(utcnow())
    bump(month, REFERRAL_FOLLOW_UP, "reached" if reached == "yes" else "not_reached")
    if helped:
        bump(month, REFERRAL_FOLLOW_UP, f"helped_{helped}")


def _usage_plus_one(organisation_id: int, quarter: str, dimension: str, value: str) -> None:
    # Merging with issue 13: this is its ``_bump_usage`` (call that and drop this helper).
    request_cases._increment(organisation_id, quarter, dimension, value)  # noqa: SLF001
