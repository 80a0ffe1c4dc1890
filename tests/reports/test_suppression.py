"""Suppression: no cell below 5 shown, and no hidden cell can be recomputed (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eap.reports.suppression import HIDDEN, SHOWN, SMALL, suppress
from tests.reports.checker import assert_safe

counts = st.dictionaries(
    st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=40), min_size=2, max_size=7
)


def texts_of(cells) -> list[str]:
    return [str(c.count) if c.status == SHOWN else ("< 5" if c.status == SMALL else "hidden")
            for c in cells]


@given(counts)
@settings(max_examples=400, deadline=None)
def test_no_small_cell_is_shown_and_none_can_be_recomputed(table):
    cells = suppress(table)
    if cells is None:  # the whole breakdown is withheld: nothing to recompute from
        return
    assert [c.key for c in cells] == list(table)
    for cell in cells:
        if cell.count < 5:
            assert cell.status == SMALL
        if cell.status == HIDDEN:
            assert cell.count >= 5
    assert_safe(texts_of(cells), sum(table.values()), [c.count for c in cells])


@given(counts)
@settings(max_examples=200, deadline=None)
def test_the_same_counts_always_give_the_same_cells(table):
    assert suppress(table) == suppress(dict(table))


def test_one_small_cell_gets_a_complement():
    cells = suppress({"a": 10, "b": 7, "c": 3, "d": 12})
    assert [c.status for c in cells] == [SHOWN, HIDDEN, SMALL, SHOWN]


def test_nothing_to_hide_shows_everything():
    assert all(c.shown for c in suppress({"a": 30, "b": 40, "c": 5}))


def test_an_unprotectable_breakdown_is_withheld():
    # 5 in one cell, zeros elsewhere: hiding everything would still give the zeros away
    assert suppress({"a": 5, "b": 0, "c": 0}) is None


def test_the_checker_catches_a_single_small_cell():
    import pytest

    with pytest.raises(AssertionError):
        assert_safe(["10", "12", "< 5"], 25)
