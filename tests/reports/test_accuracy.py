"""The report stays useful: for 1,000 seats and 50 requests a quarter, the published total is
within ±5 of the truth in at least 9 of 10 quarters and every area share within ±10 points.

The total's accuracy is computed exactly from the discrete Laplace distribution (no sampling,
so never flaky); the library's own draws are then checked against that exact value, and the
shares (a ratio of noisy counts) are checked on draws with a wide margin. bench/dp_accuracy.py
prints the full table (docs/reports.md).
"""

from __future__ import annotations

import math

from bench.dp_accuracy import QUARTER_AREAS, draws, shares
from eap.reports import release

DRAWS = 5_000


def discrete_laplace(scale: float, reach: int = 80) -> dict[int, float]:
    alpha = math.exp(-1 / scale)
    norm = (1 - alpha) / (1 + alpha)
    return {k: norm * alpha ** abs(k) for k in range(-reach, reach + 1)}


def convolve(first: dict[int, float], second: dict[int, float]) -> dict[int, float]:
    result: dict[int, float] = {}
    for a, p in first.items():
        for b, q in second.items():
            result[a + b] = result.get(a + b, 0.0) + p * q
    return result


def exact_total_within(limit: int) -> float:
    noise = discrete_laplace(1 / release.QUARTER_EPSILON)
    total = noise
    for _ in QUARTER_AREAS[1:]:
        total = convolve(total, noise)
    return sum(p for k, p in total.items() if abs(k) <= limit)


def test_the_total_is_within_five_in_nine_of_ten_quarters():
    exact = exact_total_within(5)
    assert exact >= 0.9
    observed = [max(sum(noisy), 0) for noisy in
                draws(QUARTER_AREAS, 1, release.QUARTER_EPSILON, DRAWS)]
    frequency = sum(abs(total - sum(QUARTER_AREAS)) <= 5 for total in observed) / DRAWS
    # the library's draws agree with the exact value (five standard errors)
    assert abs(frequency - exact) <= 5 * math.sqrt(exact * (1 - exact) / DRAWS)


def test_every_area_share_is_within_ten_points():
    truth = shares(QUARTER_AREAS)
    good = sum(
        all(abs(a - b) <= 10 for a, b in zip(shares(noisy), truth, strict=True))
        for noisy in draws(QUARTER_AREAS, 1, release.QUARTER_EPSILON, DRAWS)
    )
    assert good / DRAWS >= 0.95  # about 98 % in 200,000 draws
