"""The employer report's privacy budget and what it costs in accuracy (OpenDP's accounting).

ε ≤ 1 per person and calendar year for everything HR sees (issue 27):

* **quarter** releases: one noisy count, the people who asked *for the first time this year* in
  that quarter. Each account is counted in exactly one quarter of a year (its first), so the
  four quarters of a year are disjoint in people (parallel composition): ``QUARTER_EPSILON``
  covers all four together;
* **year** release: the breakdowns of the organisation's size class, one vector, one count per
  person in each series: ``YEAR_EPSILON`` for all of them together.

``QUARTER_EPSILON + YEAR_EPSILON = 1.0``. Intervals come from the library's accuracy function for
the discrete Laplace mechanism (``discrete_laplacian_scale_to_accuracy``) at the stored scale;
a sum of k noisy counts gets the union bound (each at ``ALPHA / k``), so its interval holds the
truth at least 9 times in 10 as well.
"""

from __future__ import annotations

import math

from opendp.accuracy import discrete_laplacian_scale_to_accuracy

QUARTER_EPSILON = 0.5  # per person and calendar year, for the four quarter totals together
YEAR_EPSILON = 0.5  # per person and calendar year, for the yearly breakdowns
YEARLY_BUDGET = 1.0
assert QUARTER_EPSILON + YEAR_EPSILON <= YEARLY_BUDGET
ALPHA = 0.1  # intervals hold the truth 9 times in 10

# The earlier design (until issue 27), for releases stored under it: ε 0.8 per quarter (area
# histogram, everyone who asked in the quarter) and 0.8 per year (all breakdowns in one vector).
OLD_QUARTER_EPSILON = 0.8
OLD_YEAR_EPSILON = 0.8


def quarter_scale() -> float:
    return 1 / QUARTER_EPSILON


def year_scale(series: int) -> float:
    """One person moves each of ``series`` histograms by one: L1 sensitivity = ``series``."""
    return series / YEAR_EPSILON


def half_width(scale: float, alpha: float = ALPHA) -> int:
    """± around one noisy count that holds the truth with probability ≥ 1 − alpha (the
    library's accuracy; its floor keeps the coverage, the counts being integers)."""
    if scale <= 0:
        return 0
    return math.floor(discrete_laplacian_scale_to_accuracy(float(scale), float(alpha)))


def sum_half_width(scales: list[float], alpha: float = ALPHA) -> int:
    """± around a sum of independent noisy counts (union bound: each at alpha / k)."""
    if not scales:
        return 0
    return sum(half_width(scale, alpha / len(scales)) for scale in scales)


def interval(value: int, width: int) -> tuple[int, int]:
    """The 90 % interval around a noisy count, as shown: ± ``width`` around the count shown
    (negative counts read 0). Clamping moves a count towards the true one (never below 0), so
    whenever the noisy count is within ± width of the truth, so is the count shown."""
    shown = max(value, 0)
    return max(shown - width, 0), shown + width
