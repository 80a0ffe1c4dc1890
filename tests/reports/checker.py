"""An independent check of what a reader can work out from a shown breakdown.

Not the interval formula of ``eap.reports.suppression``: here every combination of hidden values
the reader cannot rule out is found by dynamic programming over reachable sums.
"""

from __future__ import annotations

SMALL_TEXT = "< 5"
HIDDEN_TEXT = "hidden"


def bounds(texts: list[str], total: int) -> list[tuple[int, int] | None]:
    """Per cell the range a reader knows (None for a shown cell)."""
    shown = [int(t) for t in texts if t.isdigit()]
    cap = min(shown, default=total)
    result = []
    for text in texts:
        if text == SMALL_TEXT:
            result.append((0, 4))
        elif text == HIDDEN_TEXT:
            result.append((5, cap))
        else:
            result.append(None)
    return result


def _sums(ranges: list[tuple[int, int]], limit: int) -> set[int]:
    reachable = {0}
    for low, high in ranges:
        reachable = {s + v for s in reachable for v in range(low, high + 1) if s + v <= limit}
    return reachable


def possible_values(texts: list[str], total: int) -> list[set[int]]:
    """For each hidden cell (in order) every value consistent with the shown cells and total."""
    known = bounds(texts, total)
    rest = total - sum(int(t) for t in texts if t.isdigit())
    hidden = [b for b in known if b is not None]
    result = []
    for i, (low, high) in enumerate(hidden):
        others = _sums(hidden[:i] + hidden[i + 1:], rest)
        result.append({v for v in range(low, high + 1) if rest - v in others})
    return result


def assert_safe(texts: list[str], total: int, truth: list[int] | None = None) -> None:
    """No hidden cell can be pinned down: each keeps two possible values of one or more."""
    hidden_truth = [v for v, t in zip(truth or [], texts) if not t.isdigit()]
    for i, values in enumerate(possible_values(texts, total)):
        assert len({v for v in values if v >= 1}) >= 2, (texts, total, values)
        if truth is not None:
            assert hidden_truth[i] in values, (texts, total, values)
