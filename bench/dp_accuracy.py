"""How accurate the employer report's differentially private numbers are, by simulation.

    .venv/bin/python -m bench.dp_accuracy [--draws 20000]

The issue's target (issue 13): for an organisation with 1,000 seats and 50 requests in a
quarter, the published total is within ±5 of the truth in at least 9 of 10 quarters, and each
area's share within ±10 percentage points. OpenDP's samplers are cryptographically secure and
take no seed, so this runs many draws of exactly the mechanism the portal uses
(``eap.reports.release.measurement`` with the portal's ε) and reports frequencies; with 20,000
draws a frequency is known to about ±0.5 points. The result table is in docs/reports.md.
"""

from __future__ import annotations

import argparse
import statistics

from eap.reports import release

QUARTER_AREAS = [8, 30, 12]  # medical, psychological, social: 50 requests
# A year of such an organisation, one request per account and year: 180 people
YEAR_SERIES = {
    "topic group": [70, 40, 30, 25, 15],
    "requester type": [150, 30],
    "contact channel": [100, 50, 20, 10],
    "site": [90, 60, 30],
}


def draws(table: list[int], d_in: int, epsilon: float, count: int) -> list[list[int]]:
    """``count`` independent releases of ``table`` (one library call on ``count`` copies)."""
    noisy = release.measurement(d_in, epsilon)(table * count)
    return [noisy[i * len(table):(i + 1) * len(table)] for i in range(count)]


def shares(values: list[int]) -> list[float]:
    shown = [max(v, 0) for v in values]
    total = sum(shown) or 1
    return [100 * v / total for v in shown]


def quarter(count: int) -> dict[str, float]:
    truth_total = sum(QUARTER_AREAS)
    truth_shares = shares(QUARTER_AREAS)
    total_ok = shares_ok = 0
    errors = []
    for noisy in draws(QUARTER_AREAS, 1, release.QUARTER_EPSILON, count):
        total = max(sum(noisy), 0)  # as the page shows it: the sum of the noisy areas
        total_ok += abs(total - truth_total) <= 5
        shares_ok += all(abs(a - b) <= 10 for a, b in
                         zip(shares(noisy), truth_shares, strict=True))
        errors += [abs(max(v, 0) - t) for v, t in zip(noisy, QUARTER_AREAS, strict=True)]
    return {"total within ±5": 100 * total_ok / count,
            "every area share within ±10 points": 100 * shares_ok / count,
            "median error per area cell": statistics.median(errors)}


def year(count: int) -> dict[str, dict[str, float]]:
    keys = list(YEAR_SERIES)
    vector = [v for key in keys for v in YEAR_SERIES[key]]
    result = {key: {"within5": 0, "shares": 0, "errors": []} for key in keys}
    for noisy in draws(vector, len(keys), release.YEAR_EPSILON, count):
        start = 0
        for key in keys:
            truth = YEAR_SERIES[key]
            cells = noisy[start:start + len(truth)]
            start += len(truth)
            errors = [abs(max(v, 0) - t) for v, t in zip(cells, truth, strict=True)]
            result[key]["errors"] += errors
            result[key]["within5"] += sum(e <= 5 for e in errors) / len(errors)
            result[key]["shares"] += all(abs(a - b) <= 10 for a, b in
                                         zip(shares(cells), shares(truth), strict=True))
    return {key: {"cells within ±5": 100 * r["within5"] / count,
                  "every share within ±10 points": 100 * r["shares"] / count,
                  "median error per cell": statistics.median(r["errors"])}
            for key, r in result.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20_000)
    count = parser.parse_args().draws
    print(f"{count} draws; quarter ε = {release.QUARTER_EPSILON}, "
          f"year ε = {release.YEAR_EPSILON} (one vector of {len(YEAR_SERIES)} breakdowns)\n")
    print(f"Quarter, 50 requests {QUARTER_AREAS} (area histogram, scale "
          f"{1 / release.QUARTER_EPSILON:.2f}):")
    for name, value in quarter(count).items():
        print(f"  {name:40} {value:6.1f}")
    scale = len(YEAR_SERIES) / release.YEAR_EPSILON
    print(f"\nYear, 180 people, one vector (scale {scale:.2f}):")
    print(f"  {'breakdown':18} {'cells within ±5 %':>18} {'shares ±10 pts %':>18} "
          f"{'median error':>13}")
    for key, values in year(count).items():
        print(f"  {key:18} {values['cells within ±5']:18.1f} "
              f"{values['every share within ±10 points']:18.1f} "
              f"{values['median error per cell']:13.1f}")


if __name__ == "__main__":
    main()
