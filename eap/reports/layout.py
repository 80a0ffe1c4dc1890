"""The rows of a release, fixed from configuration known before its period started.

No row, section or label depends on whether a count is zero: the category lists are fixed code
lists, and the site rows come from the access codes that existed when the period started and
the seats declared for them. Requests through a code that is not a row of its own (withdrawn,
made later, or a small site) count under "other sites".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from eap.employers.models import AccessCode
from eap.extensions import db
from eap.reports import periods
from eap.requests import choices

MIN_SITE_SEATS = 50  # a site gets a row of its own only from this declared size on
OTHER_SITES = "other_sites"
MAIN = "main"

TOPIC_GROUPS = {
    "mental": (_l("Mental health and stress"), ("stress", "anxiety", "addiction", "grief")),
    "family": (_l("Family and care"), ("family", "parenting", "caring")),
    "money_law": (_l("Money, law and residence"), ("debt", "legal", "migration")),
    "work_health": (_l("Work and health"), ("work_conflict", "illness")),
    "other": (_l("Other topics"), ("other",)),
}
REQUESTER_GROUPS = {"employee": _l("Employees"), "dependant": _l("Dependants")}
TITLES = {
    "area": _l("Area"),
    "topic_group": _l("Topic group"),
    "requester_type": _l("Requester type"),
    "contact": _l("Contact channel"),
    "site": _l("Site"),
    "extra_sessions": _l("Extra sessions requested"),
}
EXTRA_SESSIONS_ROW = "requested"


@dataclass
class Layout:
    """Series key → its rows, in order; and how raw counter values map onto the rows."""

    rows: dict[str, list[str]]
    labels: dict[str, str] = field(default_factory=dict)  # site row → its name when drawn
    site_of: dict[str, str] = field(default_factory=dict)  # access code id → site row


def quarter_layout() -> Layout:
    return Layout({"area": list(choices.AREAS)})


def year_layout(organisation_id: int, year: int, seats: int | None) -> Layout:
    layout = Layout({
        "topic_group": list(TOPIC_GROUPS),
        "requester_type": list(REQUESTER_GROUPS),
        "contact": list(choices.CONTACTS),
        "extra_sessions": [EXTRA_SESSIONS_ROW],
    })
    start = periods.quarter_start(f"{year}Q1")
    site_rows, layout.labels, layout.site_of = sites(organisation_id, start, seats)
    if site_rows:
        layout.rows["site"] = site_rows
    return layout


def _existed(code, start: datetime) -> bool:
    created = code.created_at
    revoked = code.revoked_at
    return created < start and (revoked is None or revoked > start)


def sites(organisation_id: int, start: datetime, seats: int | None):
    """(site rows, their names, code id → row) for a period starting at ``start``; no rows
    unless at least two sites that existed then declare ``MIN_SITE_SEATS`` seats or more.

    The main site is every primary code (rotations included); its size is the contract's seats
    less the seats declared for the extra codes.
    """
    codes = db.session.scalars(
        sa.select(AccessCode).where(AccessCode.organisation_id == organisation_id)
        .order_by(AccessCode.id)
    ).all()
    extras = [code for code in codes if not code.is_primary and _existed(code, start)]
    main_seats = (seats or 0) - sum(code.seats or 0 for code in extras)
    large = [code for code in extras if (code.seats or 0) >= MIN_SITE_SEATS]
    rows = ([MAIN] if main_seats >= MIN_SITE_SEATS else []) + [f"code{c.id}" for c in large]
    if len(rows) < 2:
        return [], {}, {}
    labels, site_of = {}, {}
    for code in codes:
        if code.is_primary:
            site_of[str(code.id)] = MAIN if MAIN in rows else OTHER_SITES
        elif code in large:
            site_of[str(code.id)] = f"code{code.id}"
            labels[f"code{code.id}"] = code.label or str(_l("Extra code %(number)s",
                                                            number=code.id))
    return rows + [OTHER_SITES], labels, site_of


def label_of(series: str, row: str, labels: dict[str, str]) -> str:
    if series == "area":
        return str(choices.AREAS[row])
    if series == "topic_group":
        return str(TOPIC_GROUPS[row][0])
    if series == "requester_type":
        return str(REQUESTER_GROUPS[row])
    if series == "contact":
        return str(choices.CONTACTS[row])
    if series == "extra_sessions":
        return str(_l("People who asked for more sessions at the limit"))
    if row == MAIN:
        return str(_l("Main code"))
    if row == OTHER_SITES:
        return str(_l("Other sites"))
    return labels.get(row, row)
