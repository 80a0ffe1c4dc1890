"""The rows of a release, fixed from configuration known before its period started.

No row, section or label depends on whether a count is zero: the category lists are fixed code
lists, and the site rows come from the access codes that existed when the period started and
the seats declared for them. Requests through a code that is not a row of its own (withdrawn,
made later, or a small site) count under "other sites".

Which yearly breakdowns an organisation gets depends on its **size class**: the seats of its
contract when the year began (``seats_before``). A breakdown is published for a class only if
its 90 % interval is no wider than the numbers it would typically show at the class's smallest
size (``breakdown_fits``, with the planning assumptions below): fixed in code, before any year
begins, never chosen after seeing data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from eap.billing.contracts import has_started_sql
from eap.billing.models import Contract
from eap.employers.models import AccessCode
from eap.extensions import db
from eap.reports import budget, periods
from eap.requests import choices

# Planning assumptions for the size classes (typical EAP use; never read from data):
PLANNED_PEOPLE_PER_100_SEATS = 15  # people helped per 100 seats and year
PLANNED_EXTRA_SESSIONS_SHARE = 0.10  # of them, those who ask for more sessions at the limit
# The yearly area breakdown reads ``y_area``, counted since issue 27: from this year on only,
# so that no year's area figures rest on a counter that began in its middle.
YEAR_AREA_FROM = 2027
OTHER_SITES = "other_sites"
QUARTER_TOTAL = "total"  # the quarter release's one series: people asking first this year
QUARTER_ROW = "first_this_year"
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
    QUARTER_TOTAL: _l("People who asked for the first time this year"),
    "area": _l("Area"),
    "topic_group": _l("Topic group"),
    "requester_type": _l("Requester type"),
    "contact": _l("Contact channel"),
    "site": _l("Site"),
    "extra_sessions": _l("Extra sessions requested"),
}
EXTRA_SESSIONS_ROW = "requested"


FIXED_ROWS = {
    "area": list(choices.AREAS),
    "topic_group": list(TOPIC_GROUPS),
    "requester_type": list(REQUESTER_GROUPS),
    "contact": list(choices.CONTACTS),
    "extra_sessions": [EXTRA_SESSIONS_ROW],
}


@dataclass(frozen=True)
class SizeClass:
    key: str
    min_seats: int  # from this many seats (of the contract when the year began) on
    series: tuple[str, ...]  # the yearly breakdowns, in order ("site": where two sites qualify)

    @property
    def scale(self) -> float:
        """The noise scale of the yearly vector (the most series the class can have)."""
        return budget.year_scale(len(self.series)) if self.series else 0.0

    @property
    def width(self) -> int:
        """The width of a 90 % interval of one yearly cell (upper less lower end)."""
        return 2 * budget.half_width(self.scale)

    @property
    def min_site_seats(self) -> int:
        """A site's row is expected to hold at least the interval's width (planning rate)."""
        return math.ceil(self.width * 100 / PLANNED_PEOPLE_PER_100_SEATS)


SIZE_CLASSES = (
    SizeClass("tiny", 0, ()),
    SizeClass("small", 200, ("area",)),
    SizeClass("medium", 1000, ("area", "topic_group", "requester_type")),
    SizeClass("large", 5000, ("area", "topic_group", "requester_type", "contact",
                              "extra_sessions", "site")),
)


@dataclass(frozen=True)
class SiteRule:
    large: int  # seats of the organisation from which sites are broken down
    site: int  # seats a site needs for a row of its own


def site_rule() -> SiteRule:
    """For HR's access page: when the yearly report shows sites."""
    size = next(c for c in SIZE_CLASSES if "site" in c.series)
    return SiteRule(size.min_seats, size.min_site_seats)


def size_class(seats: int | None) -> SizeClass:
    return [c for c in SIZE_CLASSES if (seats or 0) >= c.min_seats][-1]


def size_class_named(key: str) -> SizeClass:
    return next(c for c in SIZE_CLASSES if c.key == key)


def expected_cell(series: str, people: float) -> float:
    """The number a typical cell of ``series`` would show for ``people`` in a year."""
    if series == "extra_sessions":
        return people * PLANNED_EXTRA_SESSIONS_SHARE
    if series == "site":
        return math.inf  # sites get rows only from ``min_site_seats`` on, which fits by design
    return people / len(FIXED_ROWS[series])


def breakdown_fits(size: SizeClass, series: str) -> bool:
    """Is the 90 % interval no wider than the typical number, at the class's smallest size?"""
    people = size.min_seats * PLANNED_PEOPLE_PER_100_SEATS / 100
    return size.width <= expected_cell(series, people)


@dataclass
class Layout:
    """Series key → its rows, in order; and how raw counter values map onto the rows."""

    rows: dict[str, list[str]]
    labels: dict[str, str] = field(default_factory=dict)  # site row → its name when drawn
    site_of: dict[str, str] = field(default_factory=dict)  # access code id → site row
    size_class: str = ""


def quarter_layout() -> Layout:
    return Layout({QUARTER_TOTAL: [QUARTER_ROW]})


def seats_before(organisation_id: int, start: datetime) -> int | None:
    """The seats of the newest paid contract made before ``start``; for an organisation whose
    first contract began later, that first contract's seats (known before anyone of it could
    ask). Never a count of requests."""
    query = sa.select(Contract.seats).where(Contract.organisation_id == organisation_id,
                                            has_started_sql())
    seats = db.session.scalar(query.where(Contract.created_at < start)
                              .order_by(Contract.created_at.desc(), Contract.id.desc()).limit(1))
    if seats is None:
        seats = db.session.scalar(query.order_by(Contract.created_at, Contract.id).limit(1))
    return seats


def year_layout(organisation_id: int, year: int, seats: int | None) -> Layout:
    """The yearly breakdowns of the size class of ``seats`` (the seats when the year began)."""
    size = size_class(seats)
    layout = Layout({}, size_class=size.key)
    start = periods.quarter_start(f"{year}Q1")
    for key in size.series:
        if key == "site":
            site_rows, layout.labels, layout.site_of = sites(organisation_id, start, seats,
                                                             size.min_site_seats)
            if site_rows:
                layout.rows["site"] = site_rows
        elif key != "area" or year >= YEAR_AREA_FROM:
            layout.rows[key] = list(FIXED_ROWS[key])
    return layout


def _existed(code, start: datetime) -> bool:
    created = code.created_at
    revoked = code.revoked_at
    return created < start and (revoked is None or revoked > start)


def sites(organisation_id: int, start: datetime, seats: int | None, min_seats: int):
    """(site rows, their names, code id → row) for a period starting at ``start``; no rows
    unless at least two sites that existed then declare ``min_seats`` seats or more.

    The main site is every primary code (rotations included); its size is the contract's seats
    less the seats declared for the extra codes.
    """
    codes = db.session.scalars(
        sa.select(AccessCode).where(AccessCode.organisation_id == organisation_id)
        .order_by(AccessCode.id)
    ).all()
    extras = [code for code in codes if not code.is_primary and _existed(code, start)]
    main_seats = (seats or 0) - sum(code.seats or 0 for code in extras)
    large = [code for code in extras if (code.seats or 0) >= min_seats]
    rows = ([MAIN] if main_seats >= min_seats else []) + [f"code{c.id}" for c in large]
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
    if series == QUARTER_TOTAL:
        return str(_l("People who asked for the first time this year"))
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
