"""THE rule that decides which cells of a report an employer may see (DESIGN.md §3.1).

Every breakdown the HR report shows is a one-way table of counts over the same requests of one
quarter, so each table sums to the quarter's total, which is shown. Tables share nothing but
that total (any set of margins with the same total can come from some set of requests), so a
table is safe on its own exactly when no hidden cell can be worked out from its shown cells and
the total. That is what :func:`suppress` guarantees:

1. primary suppression: every cell below 5 (zero too) reads "< 5";
2. complementary suppression: while some hidden cell could be pinned down, the smallest shown
   cell is hidden as well (it reads "hidden", so it never claims to be below 5);
3. if even hiding every cell cannot protect them, the whole breakdown is withheld.

"Pinned down" is judged with what a reader knows: the total, the shown cells, that a "< 5" cell
lies in 0..4, and that a "hidden" cell is at least 5 and at most the smallest shown cell (they
are picked smallest first). A hidden cell is protected when at least two different values of
one or more remain possible. With a single sum and integer bounds the possible values of each
cell form exactly the interval computed below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

THRESHOLD = 5

SHOWN = "shown"
SMALL = "small"  # below the threshold: reads "< 5"
HIDDEN = "hidden"  # complementary: hidden so that a small cell cannot be recomputed


@dataclass(frozen=True)
class Cell:
    key: str
    count: int  # the true value: only ever displayed when ``status`` is SHOWN
    status: str

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


def too_few(total: int) -> bool:
    """A quarter with fewer requests than this is not reported at all."""
    return total < THRESHOLD


def suppress(counts: Mapping[str, int]) -> list[Cell] | None:
    """The cells of one breakdown, in order, with what may be shown; None: withhold it all."""
    keys = list(counts)
    values = [int(counts[key]) for key in keys]
    total = sum(values)
    states = [SMALL if value < THRESHOLD else SHOWN for value in values]
    while not protected(values, states, total):
        candidates = [i for i, state in enumerate(states) if state == SHOWN]
        if not candidates:
            return None
        states[min(candidates, key=lambda i: (values[i], i))] = HIDDEN
    return [Cell(key, value, state) for key, value, state in zip(keys, values, states, strict=True)]


def possible_range(values: list[int], states: list[str], total: int) -> list[tuple[int, int]]:
    """For each hidden cell (in order), the interval of values a reader cannot rule out."""
    shown = [v for v, s in zip(values, states, strict=True) if s == SHOWN]
    rest = total - sum(shown)
    cap = min(shown, default=total)
    bounds = [
        (0, THRESHOLD - 1) if state == SMALL else (THRESHOLD, cap)
        for state in states
        if state != SHOWN
    ]
    low_sum = sum(low for low, _ in bounds)
    high_sum = sum(high for _, high in bounds)
    return [
        (max(low, rest - (high_sum - high)), min(high, rest - (low_sum - low)))
        for low, high in bounds
    ]


def protected(values: list[int], states: list[str], total: int) -> bool:
    """Every hidden cell keeps at least two possible values of one or more."""
    return all(
        high - max(low, 1) >= 1 for low, high in possible_range(values, states, total)
    )
