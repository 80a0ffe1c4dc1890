"""Differentially private releases of the employer report, drawn once and stored (OpenDP).

What one person can change is bounded before anything is released: at most one request per
requester account and quarter goes into the quarterly counters, at most one per account and
calendar year into the yearly ones (eap.requests.counters). So

* a quarter's release is the **area** histogram (one count per person): L1 sensitivity 1;
* a year's release is one vector of the finer breakdowns (topic group, requester type, contact
  channel, extra sessions requested and, where the layout has them, sites), one count per
  person in each: sensitivity = the number of breakdowns.

Noise is OpenDP's discrete Laplace mechanism; the privacy loss stored with each release is the
library's own accounting (``measurement.map(d_in)``). A release is drawn once, when its period
has ended, and never again: a second draw would let a reader average the noise away.
"""

from __future__ import annotations

from collections import defaultdict

import opendp.prelude as dp
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eap.extensions import db
from eap.models import utcnow
from eap.reports import layout, periods
from eap.reports.models import ReportRelease
from eap.requests import choices
from eap.requests.counters import QUARTER_AREA, YEAR_DIMENSIONS, YEAR_EXTRA_SESSIONS
from eap.requests.models import UsageCounter

dp.enable_features("contrib")  # the discrete Laplace mechanism is in OpenDP's contrib set

QUARTER = "quarter"
YEAR = "year"
QUARTER_EPSILON = 0.8  # per person and quarter
YEAR_EPSILON = 0.8  # per person and calendar year, for the finer breakdowns
# Four quarters and one year: 4 × 0.8 + 0.8 = 4.0 per calendar year.

def measurement(d_in: int, epsilon: float):
    """The discrete Laplace mechanism on a vector of counts, scaled so that a change of
    ``d_in`` in the L1 norm costs ``epsilon``."""
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return space >> dp.m.then_laplace(scale=d_in / epsilon)


def _raw(organisation_id: int, quarters: list[str], dimensions) -> dict[str, dict[str, int]]:
    raw: dict[str, dict[str, int]] = defaultdict(dict)
    rows = db.session.execute(
        sa.select(UsageCounter.dimension, UsageCounter.value, sa.func.sum(UsageCounter.count))
        .where(UsageCounter.organisation_id == organisation_id,
               UsageCounter.quarter.in_(quarters), UsageCounter.dimension.in_(list(dimensions)))
        .group_by(UsageCounter.dimension, UsageCounter.value)
    )
    for dimension, value, count in rows:
        raw[dimension][value] = int(count)
    return raw


def true_counts(organisation_id: int, kind: str, period: str,
                plan: layout.Layout) -> dict[str, list[int]]:
    """Series key → true counts in the layout's row order (what the noise is added to)."""
    if kind == QUARTER:
        raw = _raw(organisation_id, [period], [QUARTER_AREA])[QUARTER_AREA]
        return {"area": [raw.get(area, 0) for area in plan.rows["area"]]}
    quarters = [f"{period}Q{n}" for n in range(1, 5)]
    raw = _raw(organisation_id, quarters, [*YEAR_DIMENSIONS, YEAR_EXTRA_SESSIONS])
    group_of = {topic: group for group, (_n, topics) in layout.TOPIC_GROUPS.items()
                for topic in topics}
    mapped = {
        "topic_group": ("y_topic", lambda value: group_of.get(value, "other")),
        "requester_type": ("y_requester_type",
                           lambda value: "dependant" if value in choices.DEPENDANT_TYPES
                           else "employee"),
        "contact": ("y_contact", lambda value: value),
        "site": ("y_site", lambda value: plan.site_of.get(value, layout.OTHER_SITES)),
        "extra_sessions": (YEAR_EXTRA_SESSIONS, lambda value: value),
    }
    counts = {}
    for key, rows in plan.rows.items():
        dimension, row_of = mapped[key]
        cells = dict.fromkeys(rows, 0)
        for value, count in raw.get(dimension, {}).items():
            row = row_of(value)
            if row in cells:  # a value outside the fixed lists is left out, never a new row
                cells[row] += count
        counts[key] = list(cells.values())
    return counts


def draw(counts: dict[str, list[int]], epsilon: float) -> tuple[dict[str, list[int]], float]:
    """Noisy counts for every series at once, and the ε the library accounts for them."""
    keys = list(counts)
    mechanism = measurement(len(keys), epsilon)
    noisy = mechanism([value for key in keys for value in counts[key]])
    spent = mechanism.map(len(keys))
    result, start = {}, 0
    for key in keys:
        result[key] = noisy[start:start + len(counts[key])]
        start += len(counts[key])
    return result, float(spent)


def ended(kind: str, period: str, now=None) -> bool:
    last = periods.last_completed_quarter(now)
    return period <= last if kind == QUARTER else f"{period}Q4" <= last


def stored(organisation_id: int, kind: str, period: str) -> ReportRelease | None:
    return db.session.scalar(sa.select(ReportRelease).where(
        ReportRelease.organisation_id == organisation_id, ReportRelease.kind == kind,
        ReportRelease.period == period))


def plan_of(organisation_id: int, kind: str, period: str, seats: int | None) -> layout.Layout:
    if kind == QUARTER:
        return layout.quarter_layout()
    return layout.year_layout(organisation_id, int(period), seats)


def get_or_draw(organisation_id: int, kind: str, period: str, seats: int | None,
                now=None) -> ReportRelease | None:
    """The stored release of an ended period, drawn now if nobody has looked before; None for
    a period that has not ended. Flushes; the caller's request or command commits."""
    release = stored(organisation_id, kind, period)
    if release is not None or not ended(kind, period, now):
        return release
    plan = plan_of(organisation_id, kind, period, seats)
    noisy, epsilon = draw(true_counts(organisation_id, kind, period, plan),
                          QUARTER_EPSILON if kind == QUARTER else YEAR_EPSILON)
    release = ReportRelease(
        organisation_id=organisation_id, kind=kind, period=period, epsilon=epsilon,
        cells={"series": [{"key": key, "rows": plan.rows[key], "values": noisy[key]}
                          for key in plan.rows],
               "labels": plan.labels},
        created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(release)
    except IntegrityError:  # another view drew it at the same moment: theirs is the release
        release = stored(organisation_id, kind, period)
    return release
