"""The report stays useful (issue 27): for 1,000 seats and 50 people a quarter, the published
quarter count is within ±5 of the truth in at least 9 of 10 quarters; the 90 % ranges shown are
the library's accuracy for the stored scale and hold the truth 9 times in 10; the yearly area
shares of a 1,000-seat organisation are within ±10 points in 9 of 10 years.

The count's accuracy is computed exactly from the discrete Laplace distribution (no sampling,
so never flaky); the library's own draws are then checked against that exact value. The shares
(a ratio of noisy counts) are checked on draws with a margin. bench/dp_accuracy.py prints the
full table (README, docs/reports.md).
"""

from __future__ import annotations

import math

from opendp.accuracy import discrete_laplacian_scale_to_accuracy

from bench.dp_accuracy import ORGANISATIONS, draws, shares
from eap.reports import budget, layout, release

DRAWS = 5_000
PEOPLE = 50


def discrete_laplace(scale: float, reach: int = 80) -> dict[int, float]:
    alpha = math.exp(-1 / scale)
    norm = (1 - alpha) / (1 + alpha)
    return {k: norm * alpha ** abs(k) for k in range(-reach, reach + 1)}


def exact_within(limit: int, scale: float) -> float:
    return sum(p for k, p in discrete_laplace(scale).items() if abs(k) <= limit)


def test_the_quarter_count_is_within_five_in_nine_of_ten_quarters():
    exact = exact_within(5, budget.quarter_scale())
    assert exact >= 0.9  # 93.8 %
    observed = [max(v, 0) for [v] in draws([PEOPLE], 1, release.QUARTER_EPSILON, DRAWS)]
    frequency = sum(abs(total - PEOPLE) <= 5 for total in observed) / DRAWS
    # the library's draws agree with the exact value (five standard errors)
    assert abs(frequency - exact) <= 5 * math.sqrt(exact * (1 - exact) / DRAWS)


def test_the_ranges_shown_are_the_librarys_accuracy_for_the_stored_scale():
    scales = [budget.quarter_scale()] + [size.scale for size in layout.SIZE_CLASSES
                                         if size.series]
    for scale in scales:
        width = budget.half_width(scale)
        assert width == math.floor(discrete_laplacian_scale_to_accuracy(scale, 0.1))
        assert exact_within(width, scale) >= 0.9  # the range holds the truth 9 times in 10
    assert budget.half_width(budget.quarter_scale()) == 5
    # a sum of k counts: each at alpha / k (union bound), from the same library function
    assert budget.sum_half_width([2.0] * 4) == 4 * math.floor(
        discrete_laplacian_scale_to_accuracy(2.0, 0.1 / 4))


def test_the_yearly_shares_of_a_thousand_seat_organisation():
    _quarters, series = ORGANISATIONS[1000]
    keys = list(series)
    assert keys == list(layout.size_class(1000).series)
    vector = [v for key in keys for v in series[key]]
    good = dict.fromkeys(keys, 0)
    for noisy in draws(vector, len(keys), release.YEAR_EPSILON, DRAWS):
        start = 0
        for key in keys:
            cells = noisy[start:start + len(series[key])]
            start += len(series[key])
            good[key] += all(abs(a - b) <= 10 for a, b in
                             zip(shares(cells), shares(series[key]), strict=True))
    assert good["area"] / DRAWS >= 0.9  # 93.6 % in 20,000 draws
    assert good["requester_type"] / DRAWS >= 0.9  # 97 %
    assert good["topic_group"] / DRAWS >= 0.8  # 87 %
