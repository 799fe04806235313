"""The instrument's efficiency measures: checked against statsmodels' own implementation of
the same intervals, and by laws that hold for any data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from reti.grants import efficiency as e


def app(outcome="funded", **kwargs):
    kwargs.setdefault("call", "C1")
    kwargs.setdefault("instrument", "global_grant")
    kwargs.setdefault("region", "toscana")
    return e.Application(outcome=outcome, **kwargs)


@pytest.mark.parametrize("count,total", [(81, 263), (0, 10), (10, 10), (1, 29), (15, 148)])
def test_wilson_equals_statsmodels(count, total):
    rate = e.wilson(count, total)
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    assert rate.low == pytest.approx(low, abs=1e-9) and rate.high == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize(
    "a,n,b,m", [(56, 70, 48, 80), (9, 10, 3, 10), (5, 56, 0, 29), (0, 10, 0, 20)]
)
def test_the_difference_of_rates_equals_newcombes_in_statsmodels(a, n, b, m):
    difference = e.rate_difference(e.wilson(a, n), e.wilson(b, m))
    low, high = confint_proportions_2indep(a, n, b, m, method="newcomb", compare="diff")
    assert difference.estimate == pytest.approx(a / n - b / m)
    assert difference.low == pytest.approx(low, abs=1e-9)
    assert difference.high == pytest.approx(high, abs=1e-9)


def test_durations_count_funded_applications_that_reached_the_step():
    deadline = date(2026, 3, 31)
    applications = [
        app(deadline=deadline, ranking=deadline + timedelta(days=60)),
        app(deadline=deadline, ranking=deadline + timedelta(days=90)),
        app(deadline=deadline),  # not ranked yet
        app("eligible_not_funded", deadline=deadline, ranking=deadline + timedelta(days=60)),
    ]
    assert e.days(applications, "ranking") == [60, 90]
    spread = e.spread(e.days(applications, "ranking"))
    assert (spread.n, spread.median, spread.minimum, spread.maximum) == (2, 75.0, 60.0, 90.0)
    with pytest.raises(ValueError, match="unknown stage"):
        e.days(applications, "payment")


def test_success_excludes_withdrawn_and_small_share_reads_the_funded():
    applications = [
        app(size_class="micro", first_time=True),
        app(size_class="large"),
        app("not_admissible", inadmissibility_reason="firma mancante"),
        app("not_admissible", inadmissibility_reason="firma mancante"),
        app("not_admissible", inadmissibility_reason="fuori termine"),
        app("withdrawn"),
    ]
    assert (e.success(applications).count, e.success(applications).total) == (2, 5)
    assert e.small_share(applications).share == 0.5
    assert e.first_time_share(applications).share == 0.5
    assert e.inadmissibility(applications) == [("firma mancante", 2), ("fuori termine", 1)]
    by_size = e.success_by(applications, "size_class")
    assert by_size["micro"].share == 1 and by_size[""].share == 0


def test_money_absorption_and_cost_per_euro():
    budgets = [e.Budget("C1", "global_grant", "toscana", Decimal("100000"), Decimal("6000"))]
    applications = [
        app(granted=Decimal("40000"), paid=Decimal("10000")),
        app(granted=Decimal("20000"), paid=Decimal("20000")),
        app(call="other", granted=Decimal("99999")),  # another call's money is not counted
    ]
    money = e.money(budgets, applications)
    assert money.committed_share == Decimal("0.6") and money.paid_share == Decimal("0.3")
    assert money.cost_per_euro == Decimal("0.1")


def test_the_same_records_always_give_the_same_intervals():
    values = [30, 45, 45, 60, 61, 90, 120, 200]
    assert e.spread(values) == e.spread(list(reversed(values)))
    assert e.median_difference(values, [10, 20, 30]) == e.median_difference(values, [10, 20, 30])


def test_compare_says_which_differences_are_clear():
    deadline = date(2026, 3, 31)
    fast = [app(deadline=deadline, ranking=deadline + timedelta(days=d)) for d in range(40, 70)]
    slow = [
        app(instrument="ordinary", deadline=deadline, ranking=deadline + timedelta(days=d))
        for d in range(120, 150)
    ]
    comparison = e.compare(fast, slow)
    ranking = comparison.durations["ranking"]
    assert ranking.estimate == -80 and ranking.clear
    assert not comparison.success.clear  # every application funded on both sides
    assert comparison.durations["closure"].estimate is None


counts = st.integers(0, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=200)
@given(counts)
def test_a_wilson_interval_lies_in_zero_one_and_holds_the_share(pair):
    count, total = pair
    rate = e.wilson(count, total)
    if total == 0:
        assert rate.share is None
    else:
        assert 0 <= rate.low <= rate.share <= rate.high <= 1


@settings(max_examples=200)
@given(counts, counts)
def test_a_difference_interval_holds_its_estimate_and_flips_with_the_order(first, second):
    one, two = e.wilson(*first), e.wilson(*second)
    forward, backward = e.rate_difference(one, two), e.rate_difference(two, one)
    if forward.estimate is None:
        return
    assert forward.low <= forward.estimate + 1e-12 and forward.estimate <= forward.high + 1e-12
    assert forward.low == pytest.approx(-backward.high) and forward.high == pytest.approx(
        -backward.low
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 720), min_size=1, max_size=40))
def test_a_median_interval_lies_within_the_data(values):
    spread = e.spread(values)
    assert spread.minimum <= spread.low <= spread.high <= spread.maximum
    assert spread.q1 <= spread.median <= spread.q3


def test_the_bootstrap_of_the_median_draws_as_resampling_value_by_value():
    """The multinomial shortcut against the textbook bootstrap (each resample drawn value by
    value, statistics.median of it), on a sample with ties and an even size: the shares of
    resampled medians at each value agree within Monte Carlo error."""
    import random
    import statistics
    from collections import Counter

    import numpy as np

    values = [3, 5, 5, 8, 9, 9, 9, 12, 14, 20, 21, 30]
    fast = Counter(e._bootstrap_medians(values, np.random.default_rng(1)).tolist())
    rng = random.Random(2)
    slow = Counter(
        float(statistics.median(rng.choices(values, k=len(values)))) for _ in range(e.BOOTSTRAP)
    )
    for median in set(fast) | set(slow):
        assert abs(fast[median] - slow[median]) / e.BOOTSTRAP < 0.04, median


def test_ten_thousand_grants_take_a_bootstrap_of_distinct_values():
    spread = e.spread([day % 365 for day in range(10_000)])
    assert spread.n == 10_000 and spread.low <= spread.median <= spread.high
