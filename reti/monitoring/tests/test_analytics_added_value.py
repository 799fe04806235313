"""The added value of an instrument: a planted effect is found, a zero effect is not."""

import numpy as np
import pytest

from reti.monitoring import synthetic
from reti.monitoring.analytics.added_value import _cluster_interval, added_value
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


def test_difference_in_differences_comes_near_the_planted_effect(planted):
    # The synthetic data hold parallel trends exactly, so the descriptive estimate lands
    # near the truth; its interval is not asked to cover it on one draw.
    result = added_value(planted)
    assert abs(result.did.value - synthetic.PLANTED_EFFECT) < 0.02


def test_the_instrument_interval_covers_the_effect_over_its_interventions(planted):
    result = added_value(planted)
    assert result.clusters >= 5
    assert result.att_cluster.low <= synthetic.PLANTED_EFFECT <= result.att_cluster.high


def test_the_instrument_interval_widens_when_interventions_differ_in_quality():
    rng = np.random.default_rng(5)
    groups = np.repeat(np.arange(8), 200)
    alike = rng.normal(0.08, 0.4, groups.size)
    differing = alike + rng.normal(0, 0.1, 8)[groups]  # each intervention its own quality
    narrow, count = _cluster_interval(alike, groups)
    wide, _ = _cluster_interval(differing, groups)
    assert count == 8
    assert wide.high - wide.low > 2 * (narrow.high - narrow.low)
    assert _cluster_interval(alike[:800], groups[:800]) == (None, 4)  # too few to say


def test_balance_is_checked_on_terms_the_model_does_not_contain(planted):
    rows = {row["covariate"]: row for row in added_value(planted).balance}
    assert rows["isced_high"]["in_model"] and rows["age_x_isced_high"]["in_model"]
    for name in ("age_cubed", "isced_level", "female_x_unemployed"):
        assert rows[name]["in_model"] is False
        assert abs(rows[name]["after"]) < 0.1  # the model's terms cover this selection
    ratios = [row["variance_ratio"] for row in rows.values() if row["variance_ratio"]]
    assert len(ratios) > len(rows) / 2 and all(0.5 <= ratio <= 2 for ratio in ratios)


def test_the_comparison_group_can_be_one_other_instrument(planted):
    pooled = added_value(planted)
    ordinary = added_value(planted, compare="ordinary_call")
    assert ordinary.compare == "ordinary_call"
    assert ordinary.treated == pooled.treated and 0 < ordinary.controls < pooled.controls
    assert ordinary.att.low <= synthetic.PLANTED_EFFECT <= ordinary.att.high


def test_a_zero_effect_is_not_found_significant(no_effect):
    result = added_value(no_effect)
    assert result.att.low <= 0 <= result.att.high and not result.att.significant
    assert not result.did.significant


def test_filters_restrict_the_comparison(planted):
    everything = added_value(planted)
    south = added_value(planted, filters={"macro_area": ["mezzogiorno"]})
    assert 0 < south.treated < everything.treated
