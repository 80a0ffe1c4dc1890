"""The mechanism itself, against the strongest reader: whatever HR looks at in a published table,
it is about as likely with or without one person (or with that person's request in another
area): every observed probability ratio stays within e^ε, up to sampling error.

OpenDP's samplers are cryptographically secure and take no seed, so the test draws many
samples: each ``measurement`` call on N copies of a table gives N independent releases. The
tolerance is 4.5 standard errors of the ratio of two counts; only outcomes seen at least
``MIN_COUNT`` times in both worlds are compared. ``test_the_check_sees_a_leak`` shows that the
same check catches a mechanism that spends more than it claims.
"""

from __future__ import annotations

import math
from collections import Counter

from eap.reports import release

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
    """The largest observed ratio over e^ε, each less 4.5 standard errors (≤ 1: within)."""
    worst = 0.0
    for outcome in first.keys() & second.keys():
        a, b = first[outcome], second[outcome]
        if min(a, b) < MIN_COUNT:
            continue
        ratio = max(a / b, b / a)
        tolerance = 4.5 * math.sqrt(1 / a + 1 / b)
        worst = max(worst, ratio / math.exp(epsilon) - tolerance)
    return worst


QUARTER = [8, 30, 12]  # medical, psychological, social
WITH_ONE_MORE = [8, 31, 12]
MOVED = [9, 29, 12]  # one request moved from psychological to medical

STATISTICS = {
    "whole table": tuple,
    "medical": lambda t: t[0],
    "psychological": lambda t: t[1],
    "total": sum,
}


def test_one_more_requester_changes_no_outcome_by_more_than_e_to_the_epsilon():
    epsilon = release.QUARTER_EPSILON
    without = sample(QUARTER, 1, epsilon)
    with_one = sample(WITH_ONE_MORE, 1, epsilon)
    for name, statistic in STATISTICS.items():
        assert worst_excess(seen(without, statistic), seen(with_one, statistic), epsilon) <= 1, name


def test_a_request_moved_to_another_area_stays_within_two_epsilon():
    """Moving a request is leaving one area and joining another: two steps of one person."""
    epsilon = release.QUARTER_EPSILON
    bound = release.measurement(1, epsilon).map(2)
    before = sample(QUARTER, 1, epsilon)
    after = sample(MOVED, 1, epsilon)
    for name, statistic in STATISTICS.items():
        assert worst_excess(seen(before, statistic), seen(after, statistic), bound) <= 1, name


def test_the_yearly_vector_hides_one_person_in_all_breakdowns_at_once():
    """One person adds one count to each of the five yearly breakdowns (with sites and "extra
    sessions requested"); a reader who sums the five cells that person touched learns no more
    than e^ε allows."""
    epsilon = release.YEAR_EPSILON
    # The cells of a topic group, a requester type, a channel, a site and "asked for more
    # sessions" that the person is counted in; the other cells get independent noise and do not
    # change, so they are left out.
    touched = [20, 30, 25, 14, 6]
    neighbour = [v + 1 for v in touched]
    without = sample(touched, 5, epsilon)
    with_one = sample(neighbour, 5, epsilon)
    assert worst_excess(seen(without, sum), seen(with_one, sum), epsilon) <= 1


def test_the_check_sees_a_leak():
    """A mechanism with far less noise than claimed fails the same check."""
    leaky = 3.0  # noise for ε = 3, claimed as the quarter's ε
    without = sample(QUARTER, 1, leaky)
    with_one = sample(WITH_ONE_MORE, 1, leaky)
    assert worst_excess(seen(without, tuple), seen(with_one, tuple), release.QUARTER_EPSILON) > 1
