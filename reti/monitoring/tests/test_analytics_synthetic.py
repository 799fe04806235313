"""The synthetic participant generator: the schema's rules hold on every row it draws."""

from datetime import date

import duckdb
import numpy as np
import pytest

from reti.monitoring import synthetic
from reti.monitoring.synthetic import generate_participants, synthetic_interventions, write_snapshot


@pytest.fixture(scope="module")
def interventions():
    return synthetic_interventions(40, seed=3)


@pytest.fixture(scope="module")
def rows(interventions):
    chunks = list(generate_participants(interventions, 30_000, seed=3, chunk=7_000))
    return {k: np.ma.concatenate([c[k] for c in chunks]) for k in chunks[0]}


def test_chunks_add_up_and_same_seed_gives_same_rows(interventions):
    first = list(generate_participants(interventions, 10_500, seed=9, chunk=4_000))
    again = list(generate_participants(interventions, 10_500, seed=9, chunk=4_000))
    assert [len(c["record_id"]) for c in first] == [4_000, 4_000, 2_500]
    assert np.array_equal(np.concatenate([c["record_id"] for c in first]), np.arange(1, 10_501))
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a["person_key"], b["person_key"])
        assert np.array_equal(
            a["followup_employed"].filled(False), b["followup_employed"].filled(False)
        )
    other = next(generate_participants(interventions, 4_000, seed=10, chunk=4_000))
    assert not np.array_equal(first[0]["person_key"], other["person_key"])


def test_exactly_one_status_and_consistent_sub_flags(rows):
    status = rows["status_at_entry"]
    assert set(np.unique(status)) == {"unemployed", "inactive", "employed"}
    assert not rows["long_term_unemployed"][status != "unemployed"].any()
    assert not rows["inactive_not_in_education"][status != "inactive"].any()
    assert 0.2 < rows["long_term_unemployed"][status == "unemployed"].mean() < 0.8


def test_realistic_distributions(rows):
    assert set(np.unique(rows["gender"])) == {"female", "male", "non_binary"}
    assert 0.35 < (rows["gender"] == "female").mean() < 0.65
    age = rows["age_at_entry"]
    assert age.min() >= 14 and age.max() <= 75 and (age < 18).any() and (age >= 55).any()
    isced = rows["isced"]
    assert 0 < isced.mask.mean() < 0.05 and isced.min() >= 0 and isced.max() <= 8
    assert len(rows["person_key"][0]) == 64
    # Some people come back in another intervention: fewer keys than records.
    assert len(np.unique(rows["person_key"])) < len(rows["person_key"])


def test_disadvantages_follow_target_groups(interventions, rows):
    penal = {i["intervention_id"] for i in interventions if "penal_execution" in i["target_groups"]}
    assert penal, "the fixture's interventions include a penal-execution one"
    inside = np.isin(rows["intervention_id"], list(penal))
    assert rows["penal_execution"][inside].mean() > 0.8
    assert rows["penal_execution"][~inside].mean() < 0.1


def test_dates_and_observation_windows(interventions, rows):
    by_id = {i["intervention_id"]: i for i in interventions}
    start = np.array([by_id[i]["start_date"] for i in rows["intervention_id"]], dtype="M8[D]")
    entry, exit_ = rows["entry_date"], rows["exit_date"]
    assert (entry >= start).all()
    left = ~np.isnat(exit_)
    assert (exit_[left] >= entry[left]).all() and (~left).any()
    # Nobody still in the intervention has a result upon leaving or six months after.
    assert np.isnat(rows["leaving_observed_on"][~left]).all()
    assert np.isnat(rows["followup_observed_on"][~left]).all()
    assert rows["followup_employed"].mask[~left].all()
    seen = ~np.isnat(rows["leaving_observed_on"])
    lag = (rows["leaving_observed_on"][seen] - exit_[seen]).astype(int)
    assert lag.min() >= 0 and (lag <= 28).mean() > 0.7 and (lag > 28).any()
    followed = ~np.isnat(rows["followup_observed_on"])
    six = synthetic.add_months(exit_[followed], 6)
    seven = synthetic.add_months(exit_[followed], 7)
    inside = (rows["followup_observed_on"][followed] >= six) & (
        rows["followup_observed_on"][followed] < seven
    )
    assert 0.7 < inside.mean() < 1


def test_add_months_clips_to_the_month_end():
    days = np.array(["2024-01-31", "2024-08-31", "2023-12-15"], dtype="M8[D]")
    assert list(synthetic.add_months(days, 1).astype(str)) == [
        "2024-02-29",
        "2024-09-30",
        "2024-01-15",
    ]
    assert list(synthetic.add_months(days, 6).astype(str)) == [
        "2024-07-31",
        "2025-02-28",
        "2024-06-15",
    ]


def test_planted_effect_shows_in_raw_rates_and_vanishes_when_zero(interventions):
    def raw_gap(effect):
        chunk = next(
            generate_participants(interventions, 60_000, seed=5, chunk=60_000, effect=effect)
        )
        treated = {
            i["intervention_id"] for i in interventions if i["instrument"] == "sovvenzione_globale"
        }
        t = np.isin(chunk["intervention_id"], list(treated))
        y = chunk["followup_employed"]
        return y[t].mean() - y[~t].mean()

    assert raw_gap(synthetic.PLANTED_EFFECT) - raw_gap(0.0) == pytest.approx(
        synthetic.PLANTED_EFFECT, abs=0.03
    )


def test_write_snapshot_matches_the_schema(tmp_path):
    write_snapshot(tmp_path, None, 3_000, seed=1, chunk=1_000)
    con = duckdb.connect()
    files = {p.name for p in tmp_path.iterdir()}
    assert files == {
        "participants.parquet",
        "interventions.parquet",
        "intervention_networks.parquet",
        "intervention_target_groups.parquet",
        "indicator_targets.parquet",
        "entities.parquet",
    }
    types = dict(
        con.execute(f"DESCRIBE SELECT * FROM '{tmp_path}/participants.parquet'").fetchall()[i][:2]
        for i in range(29)
    )
    assert [types[name] for name, _ in synthetic.PARTICIPANT_COLUMNS] == [
        kind for _, kind in synthetic.PARTICIPANT_COLUMNS
    ]
    count, nulls, first = con.execute(
        f"SELECT count(*), count(*) - count(leaving_employed), min(entry_date)"
        f" FROM '{tmp_path}/participants.parquet'"
    ).fetchone()
    assert count == 3_000 and 0 < nulls < 3_000 and first >= date(2015, 1, 1)
    regions = con.execute(
        f"SELECT count(DISTINCT region_code) FROM '{tmp_path}/interventions.parquet'"
    ).fetchone()
    assert regions[0] > 15
