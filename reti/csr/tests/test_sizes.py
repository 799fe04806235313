"""The EU SME size class (Recommendation 2003/361/EC) at its boundaries, and its laws."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..sizes import CLASSES, size_class

M = Decimal(1_000_000)
D = Decimal


@pytest.mark.parametrize(
    ("employees", "turnover", "balance", "expected"),
    [
        (D(9), 2 * M, 2 * M, "micro"),  # at both ceilings
        (D("9.9"), 2 * M, D(50) * M, "micro"),  # turnover alone is enough
        (D(9), D(50) * M, 2 * M, "micro"),  # so is the balance sheet
        (D(9), 2 * M + D("0.01"), 2 * M + D("0.01"), "small"),  # both above: next class
        (D(10), D(1), D(1), "small"),  # staff is "fewer than 10"
        (D(49), D(10) * M, D(99) * M, "small"),
        (D(49), D(10) * M + 1, D(10) * M + 1, "medium"),
        (D(50), D(1), D(1), "medium"),
        (D(249), D(50) * M, D(99) * M, "medium"),
        (D(249), D(99) * M, D(43) * M, "medium"),  # the balance-sheet ceiling is 43 m
        (D(249), D(50) * M + 1, D(43) * M + 1, "large"),
        (D(250), D(1), D(1), "large"),
        (D(0), D(0), D(0), "micro"),
    ],
)
def test_boundaries(employees, turnover, balance, expected):
    assert size_class(employees, turnover, balance) == expected


amounts = st.decimals(min_value=0, max_value=10**9, places=2)
staff = st.decimals(min_value=0, max_value=5000, places=1)


@given(staff, staff, amounts, amounts)
def test_more_staff_never_makes_a_company_smaller(a, b, turnover, balance):
    low, high = sorted((a, b))
    assert CLASSES.index(size_class(low, turnover, balance)) <= CLASSES.index(
        size_class(high, turnover, balance)
    )


@given(staff, amounts, amounts, amounts)
def test_a_larger_turnover_never_makes_a_company_smaller(employees, a, b, balance):
    low, high = sorted((a, b))
    assert CLASSES.index(size_class(employees, low, balance)) <= CLASSES.index(
        size_class(employees, high, balance)
    )


@given(staff, amounts, amounts)
def test_turnover_and_balance_sheet_play_the_same_part_below_43_million(employees, a, b):
    # Ceilings are equal for micro and small; for medium they differ (50 m vs 43 m).
    limit = D(43) * M
    if a <= limit and b <= limit:
        assert size_class(employees, a, b) == size_class(employees, b, a)
