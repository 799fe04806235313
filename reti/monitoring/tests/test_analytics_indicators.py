"""Every indicator rule, on a few hand-made records written as a snapshot."""

from datetime import date

import pytest
import sqlglot

from reti.monitoring.analytics import engine
from reti.monitoring.analytics.definitions import (
    INDICATORS,
    PARTICIPANT_INDICATORS,
    PREPARED_SQL,
)
from reti.monitoring.analytics.snapshot import Snapshot, SnapshotMissing
from reti.monitoring.tests.snapshots import write_records

OLD = {"intervention_id": 2, "period_code": "2014-2020", "fund_code": "ESF", "region_code": "15"}
OLD_MACRO = {"macro_area": "mezzogiorno"}


def totals(tmp_path, participants, interventions=None, by=(), filters=None, **links):
    snapshot = Snapshot(write_records(tmp_path, participants, interventions, **links))
    return engine.compute(snapshot, by, filters)


def one(tmp_path, participants, interventions=None, **links):
    [row] = totals(tmp_path, participants, interventions, **links)
    return row


def test_exactly_one_status_at_entry_adds_up_to_the_total(tmp_path):
    row = one(
        tmp_path,
        [
            {"status_at_entry": "unemployed", "long_term_unemployed": True},
            {"status_at_entry": "unemployed"},
            {"status_at_entry": "inactive", "inactive_not_in_education": True},
            {"status_at_entry": "employed"},
        ],
    )
    assert (row["EECO01"], row["EECO02"], row["EECO03"], row["EECO04"], row["EECO05"]) == (
        4, 2, 1, 1, 1,
    )  # fmt: skip
    assert row["EECO02"] + row["EECO04"] + row["EECO05"] == row["EECO01"]


def test_2014_2020_status_indicators_and_inactive_not_in_education(tmp_path):
    row = one(
        tmp_path,
        [
            {"intervention_id": 2, "status_at_entry": "unemployed", "long_term_unemployed": True},
            {
                "intervention_id": 2,
                "status_at_entry": "inactive",
                "inactive_not_in_education": True,
            },
            {"intervention_id": 2, "status_at_entry": "inactive"},
            {"intervention_id": 2, "status_at_entry": "employed", "age_at_entry": 60},
            {"intervention_id": 2, "status_at_entry": "unemployed", "age_at_entry": 58},
            {"intervention_id": 2, "status_at_entry": "inactive", "age_at_entry": 57},
        ],
        [{"intervention_id": 1}, OLD | OLD_MACRO],
    )
    assert [row[c] for c in ("CO01", "CO02", "CO03", "CO04", "CO05")] == [2, 1, 3, 1, 1]
    # CO08: above 54 and unemployed, or inactive not in education (the 57-year-old is in education).
    assert (row["CO07"], row["CO08"]) == (3, 1)


def test_each_period_counts_only_its_own_indicators(tmp_path):
    row = one(tmp_path, [{}, {"intervention_id": 2}], [{"intervention_id": 1}, OLD | OLD_MACRO])
    assert row["EECO01"] == 1 and row["CO01"] == 1
    assert row["EECO02"] == 1 and row["CO01"] + row["CO03"] + row["CO05"] == 1


def test_age_at_entry_bands(tmp_path):
    ages = [15, 17, 18, 24, 25, 29, 30, 54, 55, 70]
    records = [{"age_at_entry": a} for a in ages] + [
        {"age_at_entry": a, "intervention_id": 2} for a in ages
    ]
    row = one(tmp_path, records, [{"intervention_id": 1}, OLD | OLD_MACRO])
    assert (row["EECO06"], row["EECO07"], row["EECO08"]) == (2, 4, 2)
    assert (row["CO06"], row["CO07"]) == (4, 2)  # below 25; above 54


def test_isced_bands_and_missing_level(tmp_path):
    levels = [0, 1, 2, 3, 4, 5, 6, 7, 8, None]
    records = [{"isced": lv} for lv in levels] + [
        {"isced": lv, "intervention_id": 2} for lv in levels
    ]
    row = one(tmp_path, records, [{"intervention_id": 1}, OLD | OLD_MACRO])
    assert (row["EECO09"], row["EECO10"], row["EECO11"]) == (3, 2, 4)
    # ESF 2014-2020: primary (ISCED 1) or lower secondary (ISCED 2), as the Annex words it.
    assert (row["CO09"], row["CO10"], row["CO11"]) == (2, 2, 4)
    assert row["EECO01"] == 10


def test_disadvantaged_counts(tmp_path):
    records = [
        {"third_country_national": True, "foreign_background": True},
        {"foreign_background": True},
        {"minority": True},
        {"disability": True},
        {"homeless": True, "rural_area": True},
        {"penal_execution": True},
        {"trafficking_victim": True, "third_country_national": True},
        {},
    ]
    row = one(tmp_path, records)
    assert [row[c] for c in ("EECO12", "EECO13", "EECO14", "EECO15", "EECO16", "EECO17")] == [
        1, 2, 2, 1, 1, 1,
    ]  # fmt: skip
    old = one(
        tmp_path / "old",
        [r | {"intervention_id": 2} for r in records],
        [{"intervention_id": 1}, OLD | OLD_MACRO],
    )
    # CO15 counts a person once even with several of its attributes; CO17 takes penal
    # execution and trafficking.
    assert [old[c] for c in ("CO15", "CO16", "CO17", "CO18", "CO19")] == [4, 1, 2, 1, 1]


EXIT = date(2024, 3, 10)


def leaving(days, **results):
    observed = None if days is None else date.fromordinal(EXIT.toordinal() + days)
    return {
        "status_at_entry": "inactive",
        "exit_date": EXIT,
        "leaving_observed_on": observed,
        "leaving_job_searching": False,
        "leaving_in_education": False,
        "leaving_qualification": False,
        "leaving_employed": False,
    } | results


def test_results_upon_leaving_count_within_four_weeks_of_exit(tmp_path):
    records = [
        leaving(0, leaving_qualification=True),
        leaving(28, leaving_qualification=True),
        leaving(29, leaving_qualification=True),  # too late
        leaving(-1, leaving_qualification=True),  # before the exit
        leaving(None),
        {"leaving_observed_on": date(2024, 1, 1), "leaving_qualification": True},  # still in
    ]
    row = one(tmp_path, records)
    assert row["EECR03"] == 2


def test_job_searching_and_employment_upon_leaving(tmp_path):
    records = [
        leaving(5, leaving_job_searching=True),
        # Job searching and then employed within the four weeks: counted as employed only.
        leaving(20, leaving_job_searching=True, leaving_employed=True),
        # The unemployed at entry are job searching by definition: not a result.
        leaving(3, leaving_job_searching=True) | {"status_at_entry": "unemployed"},
        leaving(3, leaving_employed=True) | {"status_at_entry": "unemployed"},
        # Employed at entry and still employed: no change, not a result.
        leaving(3, leaving_employed=True) | {"status_at_entry": "employed"},
        leaving(4, leaving_in_education=True),
    ]
    row = one(tmp_path, records)
    assert (row["EECR01"], row["EECR02"], row["EECR04"]) == (1, 1, 2)


def test_disadvantaged_result_upon_leaving(tmp_path):
    records = [
        leaving(5, leaving_job_searching=True) | {"disability": True},
        leaving(5, leaving_qualification=True) | {"penal_execution": True},
        leaving(5, leaving_qualification=True),  # not disadvantaged
        leaving(40, leaving_qualification=True) | {"homeless": True},  # too late
    ]
    records = [r | {"intervention_id": 2} for r in records]
    row = one(tmp_path, records, [{"intervention_id": 1}, OLD | OLD_MACRO])
    assert (row["CR05"], row["CR01"], row["CR03"]) == (2, 1, 2)


def followup(observed, exit_=date(2023, 1, 31), **results):
    return {
        "status_at_entry": "unemployed",
        "exit_date": exit_,
        "followup_observed_on": observed,
        "followup_employed": True,
        "followup_improved": False,
    } | results


def test_six_month_results_count_from_six_to_seven_months_after_exit(tmp_path):
    # Exit 31 January 2023: six months later is 31 July, seven months 31 August.
    records = [
        followup(date(2023, 7, 30)),
        followup(date(2023, 7, 31)),
        followup(date(2023, 8, 30)),
        followup(date(2023, 8, 31)),
        followup(None),
        followup(date(2023, 8, 1), exit_=None),
        followup(date(2023, 8, 1), followup_employed=False),
    ]
    row = one(tmp_path, records)
    assert row["EECR05"] == 2


def test_improved_situation_counts_the_employed_at_entry(tmp_path):
    records = [
        followup(date(2023, 8, 10), status_at_entry="employed", followup_improved=True),
        followup(date(2023, 8, 10), status_at_entry="employed"),
        followup(date(2023, 8, 10), followup_improved=True),  # unemployed at entry
        followup(date(2023, 9, 10), status_at_entry="employed", followup_improved=True),  # late
    ]
    row = one(tmp_path, records)
    assert row["EECR06"] == 1
    old = one(
        tmp_path / "old",
        [r | {"intervention_id": 2, "age_at_entry": 56} for r in records],
        [{"intervention_id": 1}, OLD | OLD_MACRO],
    )
    assert (old["CR07"], old["CR06"], old["CR08"]) == (1, 3, 3)


def test_re_entry_is_one_record_judged_on_the_last_exit(tmp_path):
    # A re-entry keeps the first entry (2023) and moves the exit: results count from the
    # last exit; the same person in another intervention is another participant.
    person = "a" * 64
    records = [
        {
            "entry_date": date(2023, 1, 10),
            "exit_date": date(2024, 6, 1),
            "leaving_observed_on": date(2024, 6, 20),
            "leaving_qualification": True,
            "person_key": person,
        },
        {"intervention_id": 3, "entry_date": date(2024, 9, 1), "person_key": person},
    ]
    row = one(tmp_path, records, [{"intervention_id": 1}, {"intervention_id": 3}])
    assert (row["EECO01"], row["EECR03"]) == (2, 1)


def test_gender_breakdown_adds_up(tmp_path):
    records = [{"gender": "female"}] * 3 + [{"gender": "male"}] * 2 + [{"gender": "non_binary"}]
    rows = totals(tmp_path, records, by=("gender",))
    assert {r["gender"]: r["EECO01"] for r in rows} == {"female": 3, "male": 2, "non_binary": 1}


def test_all_indicators_for_all_regions_by_gender_in_one_query(tmp_path):
    interventions = [
        {"intervention_id": 1, "region_code": "09"},
        {"intervention_id": 2, "region_code": "15", "macro_area": "mezzogiorno"},
    ]
    records = [
        {"intervention_id": 1, "gender": "male"},
        {"intervention_id": 2},
        {"intervention_id": 2},
    ]
    rows = totals(tmp_path, records, interventions, by=("region", "gender"))
    assert [(r["region"], r["gender"], r["EECO01"]) for r in rows] == [
        ("09", "male", 1),
        ("15", "female", 2),
    ]
    assert set(rows[0]) == {"region", "gender", *(i.code for i in PARTICIPANT_INDICATORS)}
    assert engine.participant_query(("region", "gender")).sql.count("SELECT") == 1


def test_breakdowns_by_network_target_group_instrument_project(tmp_path):
    interventions = [
        {"intervention_id": 1, "instrument": "sovvenzione_globale", "project_id": 7},
        {"intervention_id": 2, "instrument": "ordinary_call", "project_id": 8},
    ]
    links = {
        "intervention_networks": [(1, 100), (1, 101), (2, 101)],
        "intervention_target_groups": [(1, "youth"), (2, "penal_execution")],
    }
    records = [{"intervention_id": 1}, {"intervention_id": 1}, {"intervention_id": 2}]
    snapshot = Snapshot(write_records(tmp_path, records, interventions, **links))

    def by(*names, filters=None):
        return [
            (*(r[n] for n in names), r["EECO01"]) for r in engine.compute(snapshot, names, filters)
        ]

    # A participant counts under each network of its intervention.
    assert by("network") == [(100, 2), (101, 3)]
    assert by("target_group") == [("penal_execution", 1), ("youth", 2)]
    assert by("instrument") == [("ordinary_call", 1), ("sovvenzione_globale", 2)]
    assert by("project") == [(7, 2), (8, 1)]
    # A filter on networks never counts a record twice.
    assert by("region", filters={"network": [100, 101]}) == [("09", 3)]
    assert by("region", filters={"target_group": ["youth"], "gender": ["female"]}) == [("09", 2)]
    assert by("region", filters={"instrument": []}) == []


def test_unknown_breakdown_is_refused(tmp_path):
    with pytest.raises(engine.UnknownBreakdown, match="colour"):
        engine.participant_query(("region", "colour"))
    with pytest.raises(engine.UnknownBreakdown, match="shoe"):
        engine.participant_query(("region",), {"shoe": ["x"]})


def test_entities_and_targets_against_achievements(tmp_path):
    interventions = [{"intervention_id": 1}, OLD | OLD_MACRO]
    links = {
        "entities": [
            (1, 1, "public_administration"),
            (2, 1, "sme"),
            (3, 1, "social_economy"),
            (4, 2, "ngo"),
            (5, 2, "ngo"),
            (6, 2, "public_administration"),
        ],
        "indicator_targets": [(1, "EECO02", 4.0), (2, "CO23", 2.0)],
    }
    records = [{}, {}, {"status_at_entry": "inactive"}]
    snapshot = Snapshot(write_records(tmp_path, records, interventions, **links))
    ent = {r["region"]: r for r in engine.compute_entities(snapshot, ("region",))}
    assert (ent["09"]["EECO18"], ent["09"]["EECO19"], ent["09"]["CO20"]) == (1, 2, 0)
    assert (ent["15"]["CO20"], ent["15"]["CO22"], ent["15"]["CO23"]) == (1, 1, 0)
    got = engine.targets_against_achievements(snapshot, ("region",))
    assert [(r["region"], r["code"], r["target"], r["achieved"]) for r in got] == [
        ("09", "EECO02", 4.0, 2),
        ("15", "CO23", 2.0, 0),
    ]
    assert got[0]["share"] == 0.5


def test_a_missing_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(SnapshotMissing, match="participants"):
        Snapshot(tmp_path)


@pytest.mark.parametrize("dialect", ["spark", "trino"])
def test_every_indicator_transpiles_to_distributed_engines(dialect):
    queries = [
        (PREPARED_SQL, "participants"),
        (engine.participant_query(("region", "gender")).sql, "prepared"),
        (engine.participant_query(("network", "period"), {"target_group": ["y"]}).sql, "prepared"),
        (engine.entity_query(("region",)).sql, "entities"),
        (engine.targets_query(("region",)).sql, "indicator_targets"),
    ]
    for sql, table in queries:
        [text] = sqlglot.transpile(sql, read="duckdb", write=dialect, unsupported_level="raise")
        assert f"FROM {table} AS" in text
        assert sqlglot.parse_one(text, read=dialect).find(sqlglot.exp.Select)
    [text] = sqlglot.transpile(queries[1][0], read="duckdb", write=dialect)
    assert text.lower().count("count_if(") == len(PARTICIPANT_INDICATORS)
    for indicator in INDICATORS:
        expression = sqlglot.parse_one(indicator.condition, read="duckdb")
        text = expression.sql(dialect=dialect, unsupported_level="raise")
        # What the target dialect reads back is the same condition.
        again = sqlglot.parse_one(text, read=dialect)
        assert again.sql(dialect="duckdb") == expression.sql(dialect="duckdb"), indicator.code
