"""The triage inbox (keyset-paginated, only the shown columns) and a counsellor's own cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eap.billing.models import Contract
from eap.counselling import clocks
from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.requests import choices
from eap.requests.models import HelpRequest, Message

PAGE_SIZE = 50
# Written into the SQL as constants, not bound: only then can SQLite prove that the partial
# inbox index (counselling/models.py) covers the query.
OPEN_STATUS_LITERALS = HelpRequest.status.in_(
    sa.bindparam("open_statuses", list(choices.OPEN_STATUSES), expanding=True,
                 literal_execute=True)
)
URGENCY_FILTER = {
    "acute": choices.PRIORITY_TOP, "urgent": choices.PRIORITY_HIGH,
    "normal": choices.PRIORITY_NORMAL,
}


@dataclass
class Filters:
    area: str = ""
    topic: str = ""
    language: str = ""
    urgency: str = ""
    overdue: bool = False

    @classmethod
    def from_args(cls, args) -> Filters:
        """Unknown values are ignored, never passed to the database."""
        def pick(name: str, allowed) -> str:
            value = args.get(name, "")
            return value if value in allowed else ""

        return cls(
            area=pick("area", choices.AREAS), topic=pick("topic", choices.TOPICS),
            language=pick("language", choices.LANGUAGES), urgency=pick("urgency", URGENCY_FILTER),
            overdue=args.get("overdue") == "1",
        )

    def as_args(self) -> dict:
        args = {k: v for k, v in vars(self).items() if v and k != "overdue"}
        if self.overdue:
            args["overdue"] = "1"
        return args


def _package_name(locale: str):
    """The package of the organisation's newest contract, as a correlated scalar subquery."""
    name = ServicePackage.name_en if locale == "en" else ServicePackage.name_de
    return (
        sa.select(name)
        .join(Contract, Contract.package_id == ServicePackage.id)
        .where(Contract.organisation_id == HelpRequest.organisation_id)
        .order_by(Contract.id.desc())
        .limit(1)
        .correlate(HelpRequest)
        .scalar_subquery()
        .label("package")
    )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def encode_cursor(row) -> str:
    # Whole microseconds, no float: the next page must start exactly after the last row.
    stamp = (row.response_due_at - EPOCH) // MICROSECOND
    return f"{row.priority}.{stamp}.{row.id}"


def decode_cursor(value: str | None) -> tuple[int, datetime, int] | None:
    try:
        priority, stamp, case_id = (int(part) for part in (value or "").split("."))
        return priority, EPOCH + stamp * MICROSECOND, case_id
    except (ValueError, OverflowError, OSError):
        return None


def _after(cursor: tuple[int, datetime, int]):
    """Rows after the cursor in (priority, deadline, id) order, spelled out for every database."""
    priority, due, case_id = cursor
    p, d, i = HelpRequest.priority, HelpRequest.response_due_at, HelpRequest.id
    return sa.or_(
        p > priority,
        sa.and_(p == priority, d > due),
        sa.and_(p == priority, d == due, i > case_id),
    )


def inbox_page(
    filters: Filters, after: str | None, now: datetime, locale: str, preview: bool = False
):
    """One page of unassigned open requests, most urgent first; returns (rows, next cursor).

    ``preview``: also read (and decrypt) the request text and the case version, for triage and
    admins only; the caller audit-logs the read and shortens the text.
    """
    columns = [
        HelpRequest.id, HelpRequest.public_id, HelpRequest.priority, HelpRequest.acute_danger,
        HelpRequest.urgency, HelpRequest.created_at, HelpRequest.response_due_at,
        HelpRequest.area, HelpRequest.topic, HelpRequest.language, HelpRequest.preferred_contact,
        HelpRequest.status, _package_name(locale), clocks.paused_now().label("paused"),
    ]
    if preview:
        columns += [HelpRequest.description, HelpRequest.version]
    query = sa.select(*columns).where(
        HelpRequest.assigned_staff_id.is_(None), OPEN_STATUS_LITERALS
    )
    for name in ("area", "topic", "language"):
        if getattr(filters, name):
            query = query.where(getattr(HelpRequest, name) == getattr(filters, name))
    if filters.urgency:
        query = query.where(HelpRequest.priority == URGENCY_FILTER[filters.urgency])
    if filters.overdue:
        query = query.where(HelpRequest.response_due_at < now, ~clocks.paused_now())
    cursor = decode_cursor(after)
    if cursor:
        query = query.where(_after(cursor))
    query = query.order_by(
        HelpRequest.priority, HelpRequest.response_due_at, HelpRequest.id
    ).limit(PAGE_SIZE + 1)
    rows = db.session.execute(query).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (encode_cursor(rows[-1]) if more else None)


def my_cases(staff_id: int):
    """The open cases assigned to ``staff_id`` with their unread requester messages."""
    unread = (
        sa.select(sa.func.count(Message.id))
        .where(Message.case_id == HelpRequest.id, Message.author == "requester",
               Message.read_at.is_(None))
        .correlate(HelpRequest)
        .scalar_subquery()
        .label("unread")
    )
    return db.session.execute(
        sa.select(
            HelpRequest.public_id, HelpRequest.priority, HelpRequest.status,
            HelpRequest.created_at, HelpRequest.response_due_at, HelpRequest.area,
            HelpRequest.topic, HelpRequest.language, HelpRequest.preferred_contact, unread,
            clocks.paused_now().label("paused"),
        )
        .where(HelpRequest.assigned_staff_id == staff_id,
               HelpRequest.status.in_(choices.OPEN_STATUSES))
        .order_by(HelpRequest.priority, HelpRequest.response_due_at, HelpRequest.id)
        .limit(1000)
    ).all()
