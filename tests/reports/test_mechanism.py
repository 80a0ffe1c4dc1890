"""The mechanism itself, against the strongest reader: whatever HR looks at in the published
releases of a year, it is about as likely with or without one person: every observed
probability ratio stays within e^ε, up to sampling error (issue 27: the four quarters together
within e^0.5, each size class's yearly vector within e^0.5, all of one year within e^1).

OpenDP's samplers are cryptographically secure and take no seed, so the test draws many
samples: each ``measurement`` call on N copies of a table gives N independent releases. The
tolerance is 4.5 standard errors of the log of the ratio of two counts; only outcomes seen at
least ``MIN_COUNT`` times in both worlds are compared. ``test_the_check_sees_a_leak`` shows that the
same check catches a mechanism that spends more than it claims.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

from eap.reports import layout, release

SAMPLES = 20_000
MIN_COUNT = 200


def sample(table: list[int], d_in: int, epsilon: float) -> list[tuple[int, ...]]:
    """SAMPLES published tables (clamped at 0, as the page shows them)."""
    mechanism = release.measurement(d_in, epsilon)
    noisy = [max(v, 0) for v in mechanism(table * SAMPLES)]
    width = len(table)
    return [tuple(noisy[i * width:(i + 1) * width]) for i in range(SAMPLES)]


def seen(tables, statistic) -> Counter:
    """How often a reader computing ``statistic`` from a table gets each value."""
    return Counter(statistic(table) for table in tables)


def worst_excess(first: Counter, second: Counter, epsilon: float) -> float:
    """The largest observed ratio over e^ε, each less 4.5 standard errors (≤ 1: within).

    The error is taken on the log of the ratio (its standard error is sqrt(1/a + 1/b)): in the
    tails, where the discrete Laplace ratio is exactly e^ε and the counts are small, a linear
    tolerance on the ratio itself is too tight and made the check fail now and then by chance.
    """
    worst = 0.0
    for outcome in first.keys() & second.keys():
        a, b = first[outcome], second[outcome]
        if min(a, b) < MIN_COUNT:
            continue
        log_ratio = abs(math.log(a / b))
        tolerance = 4.5 * math.sqrt(1 / a + 1 / b)
        worst = max(worst, math.exp(log_ratio - epsilon - tolerance))
    return worst


QUARTERS = [14, 9, 7, 5]  # people asking for the first time this year, Q1–Q4
WITH_ONE_MORE = [14, 10, 7, 5]  # one more person, first asking in Q2 (one quarter only)


def sample_year(quarters: list[int]) -> list[tuple[int, ...]]:
    """SAMPLES years of four quarter releases (each one count, ε_q, scale 2)."""
    mechanism = release.measurement(1, release.QUARTER_EPSILON)
    noisy = [max(v, 0) for v in mechanism(quarters * SAMPLES)]
    return [tuple(noisy[i * 4:(i + 1) * 4]) for i in range(SAMPLES)]


STATISTICS = {
    "the quarter the person is in": lambda t: t[1],
    "the year's sum": sum,
    "first half and second half": lambda t: (t[0] + t[1], t[2] + t[3]),
}


def test_one_more_requester_changes_no_quarter_outcome_by_more_than_e_to_the_epsilon():
    """A person is in one quarter of the year only: whatever HR computes from the four quarter
    releases of a year (parallel composition) stays within e^ε_q."""
    epsilon = release.QUARTER_EPSILON
    without, with_one = sample_year(QUARTERS), sample_year(WITH_ONE_MORE)
    for name, statistic in STATISTICS.items():
        assert worst_excess(seen(without, statistic), seen(with_one, statistic), epsilon) <= 1, name


@pytest.mark.parametrize("size", [c for c in layout.SIZE_CLASSES if c.series],
                         ids=lambda c: c.key)
def test_the_yearly_vector_hides_one_person_in_all_breakdowns_of_each_size_class(size):
    """One person adds one count to each breakdown of the class; a reader who sums the cells that
    person touched learns no more than e^ε_y allows. (The other cells get independent noise and
    do not change, so they are left out.)"""
    epsilon = release.YEAR_EPSILON
    k = len(size.series)
    touched = [20, 30, 25, 14, 6, 40][:k]
    neighbour = [v + 1 for v in touched]
    without = sample(touched, k, epsilon)
    with_one = sample(neighbour, k, epsilon)
    assert worst_excess(seen(without, sum), seen(with_one, sum), epsilon) <= 1


def test_everything_of_one_year_stays_within_e_to_the_one():
    """The quarter of the person's first request and the year's breakdowns (the "small" class)
    together: the joint outcome stays within e^(ε_q + ε_y) ≤ e^1."""
    bound = release.QUARTER_EPSILON + release.YEAR_EPSILON
    assert bound <= 1
    quarter_without, quarter_with = sample([9], 1, release.QUARTER_EPSILON), \
        sample([10], 1, release.QUARTER_EPSILON)
    year_without, year_with = sample([30], 1, release.YEAR_EPSILON), \
        sample([31], 1, release.YEAR_EPSILON)
    without = [(q[0], y[0]) for q, y in zip(quarter_without, year_without, strict=True)]
    with_one = [(q[0], y[0]) for q, y in zip(quarter_with, year_with, strict=True)]
    assert worst_excess(seen(without, tuple), seen(with_one, tuple), bound) <= 1


def test_the_check_sees_a_leak():
    """A mechanism with far less noise than claimed fails the same check."""
    leaky = 3.0  # noise for ε = 3, claimed as the quarter's ε
    without = sample(QUARTERS, 1, leaky)
    with_one = sample(WITH_ONE_MORE, 1, leaky)
    assert worst_excess(seen(without, tuple), seen(with_one, tuple),
                        release.QUARTER_EPSILON) > 1
