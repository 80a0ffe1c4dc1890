"""THE place that writes the anonymous counters the reports read (no other module does).

Per organisation and quarter (``UsageCounter``) and service-wide per month (``ServiceCounter``).
Counters carry codes only: never a case, account or message id, so they stay right after cases
are purged or a requester erases their data.

Two kinds of organisation counters are kept:

* exact counters of every request (``total``, ``area``, ``topic`` …), for iGuS staff only;
* *bounded* counters for the employer report (``y_*``): each account is counted at most once
  per calendar year, in the quarter of its first request that year (issue 27). That bound is
  what the differentially private releases rest on (eap.reports.release): one person moves
  one quarter's count of the year by one (the quarter total is the sum of that quarter's
  ``y_requester_type`` cells: the people who asked for the first time this year) and each
  yearly histogram by at most one. ``requester_accounts.counted_quarter`` is the quarter the
  account was counted in (the receipt on "What your employer sees" reads it). The per-quarter
  ``q_area`` counter of the earlier design is no longer written.

The counselling feature calls :func:`record_first_response` and :func:`record_closed`
(and, for appointments and referrals, the functions at the end of this module).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eap.extensions import db
from eap.models import utcnow
from eap.requests.deadlines import BERLIN, quarter_of
from eap.requests.models import RequesterAccount, ServiceCounter, UsageCounter

# ServiceCounter dimensions
AREA = "area"  # requests per month (of the request) and area
FIRST_RESPONSE = "first_response"  # "on_time" / "late", month of the request
COUNSELLOR = "counsellor"  # staff id of the assignee, month of the first response
CLOSED = "closed"  # "all", month of closing
QUICK_ERASURE = "quick_erasure"  # organisation id, month of an erasure soon after sign-up
QUICK_ERASURE_DAYS = 7
ACCOUNT_BURST = "account_burst"  # organisation id, month of a burst of new accounts on a code

# Bounded UsageCounter dimensions for the employer report
QUARTER_AREA = "q_area"  # the earlier design's per-quarter counter: read by nothing, not written
YEAR_DIMENSIONS = {  # dimension → what of the request it counts
    "y_area": lambda account, case: case.area,
    "y_topic": lambda account, case: case.topic,
    "y_requester_type": lambda account, case: account.requester_type,
    "y_contact": lambda account, case: case.preferred_contact,
    "y_site": lambda account, case: str(account.access_code_id or "none"),
}
YEAR_PEOPLE = "y_requester_type"  # one cell per counted account: the quarter totals' source


def month_of(moment: datetime) -> str:
    """``2026-11`` in Berlin time, like ``quarter_of``."""
    return moment.astimezone(BERLIN).strftime("%Y-%m")


def record_request(case) -> None:
    """A new request: the organisation's quarterly counters and the service's monthly ones."""
    account = case.account
    quarter = quarter_of(case.created_at)
    exact = {
        "total": "all",
        "requester_type": account.requester_type,
        "area": case.area,
        "topic": case.topic,
        "for_whom": case.for_whom,
        "urgency": case.urgency,
        "acute_danger": "yes" if case.acute_danger else "no",
        "contact": case.preferred_contact,
        "language": case.language,
        "access_code": str(account.access_code_id or "none"),
    }
    for dimension, value in exact.items():
        _bump_usage(account.organisation_id, quarter, dimension, value)
    _count_bounded(account, case, quarter)
    bump(month_of(case.created_at or utcnow()), AREA, case.area)


def _count_bounded(account, case, quarter: str) -> None:
    """The report's counters, at most once per account and calendar year (its first request)."""
    before = account.counted_quarter
    if (before or "")[:4] == quarter[:4]:  # counted already this year
        return
    # Conditional on the value read: of two requests of one account racing, one wins.
    claim = (
        sa.update(RequesterAccount)
        .where(RequesterAccount.id == account.id,
               RequesterAccount.counted_quarter.is_(None) if before is None
               else RequesterAccount.counted_quarter == before)
        .values(counted_quarter=quarter)
        .execution_options(synchronize_session=False)
    )
    won = db.session.execute(claim).rowcount == 1
    db.session.expire(account, ["counted_quarter"])
    if not won:
        return
    for dimension, value_of in YEAR_DIMENSIONS.items():
        _bump_usage(account.organisation_id, quarter, dimension, value_of(account, case))


def record_first_response(case, on_time: bool) -> None:
    """The first answer to a request: within the promised time or not, and by whom."""
    bump(month_of(case.created_at), FIRST_RESPONSE, "on_time" if on_time else "late")
    if case.assigned_staff_id is not None:
        bump(month_of(utcnow()), COUNSELLOR, str(case.assigned_staff_id))


def record_closed(case) -> None:
    bump(month_of(case.closed_at or utcnow()), CLOSED, "all")


def record_erasure(account) -> None:
    """An account erased within a week of its creation: counted per organisation and month,
    for the admin figures' padding signal (counts only, no account)."""
    created = account.created_at
    if created is None:
        return
    if (utcnow() - created).days < QUICK_ERASURE_DAYS:
        bump(month_of(utcnow()), QUICK_ERASURE, str(account.organisation_id))


def bump(month: str, dimension: str, value: str) -> None:
    """Add one to a service-wide cell."""
    _upsert(ServiceCounter, month=month, dimension=dimension, value=value)


def _bump_usage(organisation_id: int, quarter: str, dimension: str, value: str) -> None:
    _upsert(UsageCounter, organisation_id=organisation_id, quarter=quarter,
            dimension=dimension, value=value)


def _upsert(model, **cell) -> None:
    """THE counter write: add one to a cell, creating it if needed; safe when two requests race
    for it (the unique constraint on the cell decides, the loser adds to the winner's row)."""
    where = [getattr(model, column) == value for column, value in cell.items()]
    increment = sa.update(model).where(*where).values(count=model.count + 1)
    if db.session.execute(increment).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(model(**cell, count=1))
    except IntegrityError:  # another transaction created the cell meanwhile
        db.session.execute(increment)


# --- appointments, sessions and referrals (issue 20) ---------------------------------------
EXTRA_SESSIONS = "extra_sessions"  # exact UsageCounter dimension (iGuS), value "requested"
YEAR_EXTRA_SESSIONS = "y_extra_sessions"  # bounded: once per account and year, for the report
REFERRAL_FOLLOW_UP = "referral_follow_up"  # ServiceCounter: "reached" / "not_reached" / "helped_*"


def record_extra_sessions_requested(case, now: datetime | None = None) -> None:
    """A requester at the session limit asked for more: one more in the organisation's exact
    cell of this quarter (iGuS only), and — at most once per account and calendar year, so at
    most once per quarter too — in the bounded cell the employer report's yearly release reads
    (``y_extra_sessions``). No link to the case or account is stored."""
    quarter = quarter_of(now or utcnow())
    _bump_usage(case.organisation_id, quarter, EXTRA_SESSIONS, "requested")
    account = case.account
    if account is None or (account.extra_counted_quarter or "")[:4] == quarter[:4]:
        return
    before = account.extra_counted_quarter
    # Conditional on the value read: of two requests of one account racing, one wins.
    claim = (
        sa.update(RequesterAccount)
        .where(RequesterAccount.id == account.id,
               RequesterAccount.extra_counted_quarter.is_(None) if before is None
               else RequesterAccount.extra_counted_quarter == before)
        .values(extra_counted_quarter=quarter)
        .execution_options(synchronize_session=False)
    )
    won = db.session.execute(claim).rowcount == 1
    db.session.expire(account, ["extra_counted_quarter"])
    if won:
        _bump_usage(account.organisation_id, quarter, YEAR_EXTRA_SESSIONS, "requested")


def record_referral_follow_up(reached: str, helped: str | None) -> None:
    """A requester answered the follow-up question of a referral (admin figures only)."""
    month = month_of(utcnow())
    bump(month, REFERRAL_FOLLOW_UP, "reached" if reached == "yes" else "not_reached")
    if helped:
        bump(month, REFERRAL_FOLLOW_UP, f"helped_{helped}")

