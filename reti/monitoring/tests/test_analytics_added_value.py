"""The added value of an instrument: a planted effect is found, a zero effect is not."""

import pytest

from reti.monitoring import synthetic
from reti.monitoring.analytics.added_value import added_value
from reti.monitoring.analytics.snapshot import Snapshot


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    directory = tmp_path_factory.mktemp("planted")
    synthetic.write_snapshot(directory, None, 150_000, seed=11)
    return Snapshot(directory)


@pytest.fixture(scope="module")
def no_effect(tmp_path_factory):
    directory = tmp_path_factory.mktemp("zero")
    synthetic.write_snapshot(directory, None, 150_000, seed=12, effect=0.0)
    return Snapshot(directory)


def test_matching_recovers_the_planted_effect_and_balances_covariates(planted):
    result = added_value(planted)
    assert result.treated > 1000 and result.controls > 1000
    assert result.matched > 0.6 * result.treated
    assert result.att.low <= synthetic.PLANTED_EFFECT <= result.att.high
    assert result.att.significant
    worst_before = max(abs(row["before"]) for row in result.balance)
    worst_after = max(abs(row["after"]) for row in result.balance)
    assert worst_before > 0.1 > worst_after


def test_difference_in_differences_recovers_the_planted_effect(planted):
    result = added_value(planted)
    assert result.did.low <= synthetic.PLANTED_EFFECT <= result.did.high


def test_a_zero_effect_is_not_found_significant(no_effect):
    result = added_value(no_effect)
    assert result.att.low <= 0 <= result.att.high and not result.att.significant
    assert not result.did.significant


def test_filters_restrict_the_comparison(planted):
    everything = added_value(planted)
    south = added_value(planted, filters={"macro_area": ["mezzogiorno"]})
    assert 0 < south.treated < everything.treated
