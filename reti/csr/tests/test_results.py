"""Strengths, gaps, comparison and levels: the pure parts of a CSR result."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .. import levels, results


def _row(code, share, applicable=True):
    return {"code": code, "label": code, "applicable": applicable, "share": share}


def test_strengths_and_gaps_split_at_70_and_40_and_flags_are_gaps():
    rows = [
        _row("A1", Decimal(70)),
        _row("A2", Decimal("69.9")),
        _row("A3", Decimal("39.9")),
        _row("A4", Decimal(90)),
        _row("A7", None, applicable=False),
    ]
    strengths, gaps = results.strengths_and_gaps(rows, ["threshold_flagged:A4"])
    assert [r["code"] for r in strengths] == ["A1"]
    assert [r["code"] for r in gaps] == ["A3", "A4"]


def test_compare_pairs_areas_and_says_the_change():
    current = [_row("A1", Decimal(80)), _row("A7", None, applicable=False)]
    previous = [_row("A1", Decimal(60)), _row("A7", Decimal(50))]
    compared = results.compare(current, previous)
    assert compared[0]["change"] == Decimal(20)
    assert compared[1]["change"] is None


def test_share_is_bounded_and_rounded_half_up():
    assert results.share("1", "3") == Decimal("33.3")
    assert results.share("2", "3") == Decimal("66.7")
    assert results.share("5", "0") is None
    assert results.share(None, "4") is None


@pytest.mark.parametrize(
    ("total", "admissible", "level"),
    [
        (Decimal("49.99"), True, ""),
        (Decimal(50), True, "base"),
        (Decimal("69.99"), True, "base"),
        (Decimal(70), True, "advanced"),
        (Decimal(85), True, "excellent"),
        (Decimal(100), False, ""),
    ],
)
def test_levels_from_the_data_file(total, admissible, level):
    assert levels.level_for(total, admissible) == level


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_higher_total_never_gets_a_lower_level(a, b):
    order = ["", *[level["code"] for level in levels.rules()["levels"]]]
    low, high = sorted((a, b))
    assert order.index(levels.level_for(low, True)) <= order.index(levels.level_for(high, True))
