"""Differentially private releases of the employer report, drawn once and stored (OpenDP).

What one person can change is bounded before anything is released: each requester account is
counted at most once per calendar year, in the quarter of its first request that year
(eap.requests.counters). So (eap.reports.budget, ε ≤ 1 per person and calendar year):

* a quarter's release is **one count**, the people who asked for the first time this year in
  that quarter: sensitivity 1, and one person is in one quarter of a year only (parallel
  composition), so ``QUARTER_EPSILON`` covers the four quarters of a year together;
* a year's release is one vector of the breakdowns of the organisation's size class
  (eap.reports.layout), one count per person in each: sensitivity = the number of breakdowns,
  ``YEAR_EPSILON`` for all of them.

A release stores its design, size class and noise scale beside its ε; releases drawn under the
earlier design (area histogram every quarter, ε 0.8 per quarter and 0.8 per year) carry none of
these and stay as they were (``design_of``, ``scale_of``).

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
from eap.reports import budget, layout, periods
from eap.reports.budget import QUARTER_EPSILON, YEAR_EPSILON  # noqa: F401 (re-exported)
from eap.reports.models import ReportRelease
from eap.requests import choices
from eap.requests.counters import YEAR_DIMENSIONS, YEAR_EXTRA_SESSIONS, YEAR_PEOPLE
from eap.requests.models import UsageCounter

dp.enable_features("contrib")  # the discrete Laplace mechanism is in OpenDP's contrib set

QUARTER = "quarter"
YEAR = "year"
DESIGN = "first_of_year"  # issue 27: ε ≤ 1 per person and calendar year
OLD_DESIGN = "per_quarter"  # releases stored before issue 27 (no "design" in their cells)

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
        # every account counted this year has one requester-type cell, in its first quarter
        raw = _raw(organisation_id, [period], [YEAR_PEOPLE])[YEAR_PEOPLE]
        return {layout.QUARTER_TOTAL: [sum(raw.values())]}
    quarters = [f"{period}Q{n}" for n in range(1, 5)]
    raw = _raw(organisation_id, quarters, [*YEAR_DIMENSIONS, YEAR_EXTRA_SESSIONS])
    group_of = {topic: group for group, (_n, topics) in layout.TOPIC_GROUPS.items()
                for topic in topics}
    mapped = {
        "area": ("y_area", lambda value: value),
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
    if not keys:  # a size class without yearly breakdowns: nothing released, nothing spent
        return {}, 0.0
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


def plan_of(organisation_id: int, kind: str, period: str) -> layout.Layout:
    """The release's layout: for a year, from the seats of the contract when it began."""
    if kind == QUARTER:
        return layout.quarter_layout()
    start = periods.quarter_start(f"{period}Q1")
    return layout.year_layout(organisation_id, int(period),
                              layout.seats_before(organisation_id, start))


def design_of(stored_release: ReportRelease) -> str:
    return stored_release.cells.get("design", OLD_DESIGN)


def scale_of(stored_release: ReportRelease) -> float:
    """The noise scale of every cell of a release: stored since issue 27; for an earlier one,
    from its ε and sensitivity (1 for a quarter, the number of series for a year)."""
    if "scale" in stored_release.cells:
        return float(stored_release.cells["scale"])
    if not stored_release.epsilon:
        return 0.0
    d_in = 1 if stored_release.kind == QUARTER else len(stored_release.cells["series"])
    return d_in / stored_release.epsilon


def get_or_draw(organisation_id: int, kind: str, period: str,
                now=None) -> ReportRelease | None:
    """The stored release of an ended period, drawn now if nobody has looked before; None for
    a period that has not ended. Flushes; the caller's request or command commits."""
    release = stored(organisation_id, kind, period)
    if release is not None or not ended(kind, period, now):
        return release
    plan = plan_of(organisation_id, kind, period)
    counts = true_counts(organisation_id, kind, period, plan)
    noisy, epsilon = draw(counts, QUARTER_EPSILON if kind == QUARTER else YEAR_EPSILON)
    scale = (budget.quarter_scale() if kind == QUARTER
             else budget.year_scale(len(counts)) if counts else 0.0)
    release = ReportRelease(
        organisation_id=organisation_id, kind=kind, period=period, epsilon=epsilon,
        cells={"design": DESIGN, "scale": scale, "size_class": plan.size_class,
               "series": [{"key": key, "rows": plan.rows[key], "values": noisy[key]}
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
