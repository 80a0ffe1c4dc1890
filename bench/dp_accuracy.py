"""How accurate the employer report's differentially private numbers are, by simulation.

    .venv/bin/python -m bench.dp_accuracy [--draws 20000]

The design of issue 27 (ε ≤ 1 per person and calendar year, eap.reports.budget): each quarter
one count, the people who asked for the first time this year (ε 0.5 for the four quarters
together), and once a year the breakdowns of the organisation's size class in one vector
(ε 0.5). The targets: for 1,000 seats and 50 people a quarter the quarter total is within ±5 of
the truth in at least 9 of 10 quarters; the yearly shares; and what a 200-seat organisation
keeps. OpenDP's samplers are cryptographically secure and take no seed, so this runs many draws
of exactly the mechanism the portal uses (``eap.reports.release.measurement`` with the portal's
ε and sensitivity) and reports frequencies; with 20,000 draws a frequency is known to about
±0.5 points. "in range" is how often the truth lies in the 90 % range the page shows (the
library's ``discrete_laplacian_scale_to_accuracy`` for the stored scale). The table is in the
README and docs/reports.md.
"""

from __future__ import annotations

import argparse
import statistics

from eap.reports import budget, layout, release

QUARTER_AREAS = [8, 30, 12]  # an example quarter's 50 people, by area (the truth of one count)
ORGANISATIONS = {
    # seats → (people asking for the first time this year, per quarter; the year's breakdowns)
    1000: ([50, 50, 45, 35], {
        "area": [30, 105, 45],
        "topic_group": [70, 40, 30, 25, 15],
        "requester_type": [150, 30],
    }),
    200: ([10, 10, 9, 7], {
        "area": [6, 22, 8],
    }),
    5000: ([250, 240, 220, 190], {
        "area": [150, 520, 230],
        "topic_group": [350, 200, 150, 125, 75],
        "requester_type": [750, 150],
        "contact": [450, 250, 100, 50, 50],
        "extra_sessions": [90],
        "site": [500, 300, 100],
    }),
}


def draws(table: list[int], d_in: int, epsilon: float, count: int) -> list[list[int]]:
    """``count`` independent releases of ``table`` (one library call on ``count`` copies)."""
    noisy = release.measurement(d_in, epsilon)(table * count)
    return [noisy[i * len(table):(i + 1) * len(table)] for i in range(count)]


def shares(values: list[int]) -> list[float]:
    shown = [max(v, 0) for v in values]
    total = sum(shown) or 1
    return [100 * v / total for v in shown]


def quarter(people: int, count: int) -> dict[str, float]:
    """One quarter's count (one cell, ε_q): within ±5, and in the shown 90 % range."""
    width = budget.half_width(budget.quarter_scale())
    within = in_range = 0
    for [noisy] in draws([people], 1, budget.QUARTER_EPSILON, count):
        within += abs(max(noisy, 0) - people) <= 5
        low, high = budget.interval(noisy, width)
        in_range += low <= people <= high
    return {"width": width, "within ±5": 100 * within / count,
            "in range": 100 * in_range / count}


def year_total(quarters: list[int], count: int) -> dict[str, float]:
    """People helped in the year: the sum of the four quarter counts."""
    width = budget.sum_half_width([budget.quarter_scale()] * 4)
    truth = sum(quarters)
    within = in_range = 0
    for noisy in draws(quarters, 1, budget.QUARTER_EPSILON, count):
        total = sum(max(v, 0) for v in noisy)
        within += abs(total - truth) <= 10
        low, high = budget.interval(total, width)  # as the page: the sum of counts shown
        in_range += low <= truth <= high
    return {"width": width, "within ±10": 100 * within / count,
            "in range": 100 * in_range / count}


def year(series: dict[str, list[int]], count: int) -> dict[str, dict[str, float]]:
    keys = list(series)
    vector = [v for key in keys for v in series[key]]
    width = budget.half_width(budget.year_scale(len(keys)))
    result = {key: {"within5": 0, "shares": 0, "range": 0, "errors": []} for key in keys}
    for noisy in draws(vector, len(keys), budget.YEAR_EPSILON, count):
        start = 0
        for key in keys:
            truth = series[key]
            cells = noisy[start:start + len(truth)]
            start += len(truth)
            errors = [abs(max(v, 0) - t) for v, t in zip(cells, truth, strict=True)]
            result[key]["errors"] += errors
            result[key]["within5"] += sum(e <= 5 for e in errors) / len(errors)
            result[key]["range"] += sum(
                budget.interval(v, width)[0] <= t <= budget.interval(v, width)[1]
                for v, t in zip(cells, truth, strict=True)) / len(truth)
            result[key]["shares"] += all(abs(a - b) <= 10 for a, b in
                                         zip(shares(cells), shares(truth), strict=True))
    return {key: {"width": width,
                  "cells within ±5": 100 * r["within5"] / count,
                  "shares within ±10 points": 100 * r["shares"] / count,
                  "in range": 100 * r["range"] / count,
                  "median error per cell": statistics.median(r["errors"])}
            for key, r in result.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20_000)
    count = parser.parse_args().draws
    print(f"{count} draws; ε per person and year: quarters {budget.QUARTER_EPSILON} "
          f"(together), yearly breakdowns {budget.YEAR_EPSILON}\n")
    for seats, (quarters, series) in ORGANISATIONS.items():
        size = layout.size_class(seats)
        assert set(series) == set(size.series) - ({"site"} - set(series)), (seats, size)
        print(f"{seats} seats (class {size.key}), {quarters[0]} people in the quarter:")
        q = quarter(quarters[0], count)
        print(f"  quarter count: ±{q['width']}, within ±5 {q['within ±5']:.1f} %, "
              f"in range {q['in range']:.1f} %")
        t = year_total(quarters, count)
        print(f"  people helped in the year ({sum(quarters)}): ±{t['width']}, "
              f"within ±10 {t['within ±10']:.1f} %, in range {t['in range']:.1f} %")
        print(f"  {'breakdown':16} {'±':>4} {'cells ±5 %':>11} {'shares ±10 pts %':>17} "
              f"{'in range %':>11} {'median error':>13}")
        for key, values in year(series, count).items():
            print(f"  {key:16} {values['width']:4} {values['cells within ±5']:11.1f} "
                  f"{values['shares within ±10 points']:17.1f} {values['in range']:11.1f} "
                  f"{values['median error per cell']:13.1f}")
        print()


if __name__ == "__main__":
    main()
