"""Small helpers for showing deadlines and ages to staff (text, not colour alone)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eap.requests import choices
from eap.requests.models import HelpRequest
from eap.security import binding

DUE_SOON = timedelta(hours=4)
PREVIEW_LENGTH = 120

STAFF_STATUSES = {
    "new": _l("New"),
    "triaged": _l("Triaged"),
    "in_progress": _l("In progress"),
    "waiting": _l("Waiting for requester"),
    "closed": _l("Closed"),
}
PRIORITIES = {
    choices.PRIORITY_TOP: _l("Acute danger"),
    choices.PRIORITY_HIGH: _l("Urgent"),
    choices.PRIORITY_NORMAL: _l("Normal"),
}
CONTACT_KINDS = {
    "phone": _l("Phone call"),
    "video": _l("Video call"),
    "in_person": _l("In person"),
    "messages": _l("Portal messages"),
}
OUTCOMES = {
    "resolved": _l("Resolved with counselling"),
    "referred": _l("Referred to another service"),
    "requester_ended": _l("Ended by the requester"),
    "no_response": _l("No response from the requester"),
    "other": _l("Other"),
}


def duration(span: timedelta) -> str:
    minutes = int(abs(span).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)s d %(h)s h", d=days, h=hours)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes)
    return _("%(m)s min", m=minutes)


def deadline(due: datetime, now: datetime) -> tuple[str, str]:
    """(state, text): state is "overdue", "soon" or "ok"; the text says it in words."""
    left = due - now
    if left < timedelta(0):
        return "overdue", _("Overdue by %(t)s", t=duration(left))
    return ("soon" if left <= DUE_SOON else "ok"), _("%(t)s left", t=duration(left))


LABEL_TABLES = {
    "area": choices.AREAS, "topic": choices.TOPICS, "for_whom": choices.FOR_WHOM,
    "urgency": choices.URGENCIES, "contact": choices.CONTACTS, "language": choices.LANGUAGES,
    "status": STAFF_STATUSES, "priority": PRIORITIES, "contact_kind": CONTACT_KINDS,
    "outcome": OUTCOMES,
}
_translated_labels: dict[str, dict] = {}


def labels() -> dict:
    """Every label table, translated once per language and process (a table row reads many of
    them; the tables are fixed in the code, so they never go stale)."""
    locale = str(get_locale())
    tables = _translated_labels.get(locale)
    if tables is None:
        tables = _translated_labels[locale] = {
            name: {key: str(label) for key, label in table.items()}
            for name, table in LABEL_TABLES.items()
        }
    return tables


def describe(event, staff_names: dict, service_names: dict) -> str:
    """One line of case history in words; codes only, the reason is shown separately."""
    old, new = event.old_value, event.new_value
    if event.kind == "status":
        return _("Status: %(old)s → %(new)s", old=STAFF_STATUSES.get(old, old),
                 new=STAFF_STATUSES.get(new, new))
    if event.kind == "priority":
        return _("Priority: %(old)s → %(new)s", old=PRIORITIES.get(int(old), old),
                 new=PRIORITIES.get(int(new), new))
    if event.kind == "topic":
        return _("Topic: %(old)s → %(new)s", old=choices.TOPICS.get(old, old),
                 new=choices.TOPICS.get(new, new))
    if event.kind == "assignee":
        return _("Assigned to %(name)s", name=staff_names.get(new, "?"))
    if event.kind == "contact":
        return _("Contact counted: %(kind)s", kind=CONTACT_KINDS.get(new, new))
    if event.kind == "referral":
        return _("Referred to %(service)s", service=service_names.get(new, "?"))
    if event.kind == "outcome":
        return _("Outcome: %(outcome)s", outcome=OUTCOMES.get(new, new))
    return {
        "message": _("Message sent to the requester"),
        "note": _("Internal note added"),
        "deadline": _("Response deadline brought forward"),
        "more_sessions": _("The requester asked for more sessions"),
        "continuity": _("The requester agreed to keep their counsellor"),
        "other_counsellor": _("The requester asked for a different counsellor"),
    }.get(event.kind, event.kind)


def shorten(text: str | None, length: int = PREVIEW_LENGTH) -> str:
    """The first ``length`` characters on one line, cut at a word where possible."""
    flat = " ".join((text or "").split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0] if " " in flat[:length] else flat[:length]
    return cut.rstrip(" ,.;:") + " …"



class DeadlineCell(NamedTuple):
    """A deadline as shown: its state, the state in words, the time left and the moment."""

    state: str
    flag: str
    text: str
    at: str


class InboxRow(NamedTuple):
    """One inbox row ready to print. Rows are named tuples, not dicts: Jinja reads ``row.area``
    as an attribute first, and on a dict each such read raised and caught an AttributeError
    (800 per inbox page)."""

    priority: int
    acute: bool
    urgency: str
    deadline: DeadlineCell
    age: str
    area: str
    topic: str
    language: str
    language_label: str
    contact: str
    package: str
    show: str
    assign: str
    take: str
    preview: str = ""  # only for triage and admins (inbox_views), never cached
    version: int = 0


def deadline_cell(due: datetime, now: datetime, paused: bool = False) -> DeadlineCell:
    """A deadline cell, shown by ``_deadline.html`` and, inline for speed, by the inbox rows.
    A paused clock (eap.counselling.clocks) reads "paused", never "overdue"."""
    if paused:
        return DeadlineCell("paused", _("Paused"), _("waiting for the requester"), "")
    state, text = deadline(due, now)
    flag = {"overdue": _("Overdue"), "soon": _("Due soon")}.get(state, "")
    return DeadlineCell(state, flag, text, format_datetime(due, "short"))


def inbox_rows(rows, now: datetime, label_tables: dict) -> list[InboxRow]:
    """The inbox table, ready to print: every text, label and link computed once per row."""
    priority, area, topic = label_tables["priority"], label_tables["area"], label_tables["topic"]
    language, contact = label_tables["language"], label_tables["contact"]
    return [
        InboxRow(
            priority=row.priority,
            acute=row.acute_danger,
            urgency=priority[choices.PRIORITY_TOP if row.acute_danger else row.priority],
            deadline=deadline_cell(row.response_due_at, now, row.paused),
            age=duration(now - row.created_at),
            area=area.get(row.area, row.area),
            topic=topic.get(row.topic, row.topic),
            language=row.language,
            language_label=language.get(row.language, row.language),
            contact=contact.get(row.preferred_contact, row.preferred_contact),
            package=row.package or "–",
            show=url_for("counselling.show", public_id=row.public_id),
            assign=url_for("counselling.assign", public_id=row.public_id),
            take=url_for("counselling.take", public_id=row.public_id),
            preview=shorten(binding.open_column(row.description, HelpRequest.description,
                                                row.public_id))
            if "description" in row._fields else "",
            version=getattr(row, "version", 0),
        )
        for row in rows
    ]
