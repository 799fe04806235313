"""Fair comparison (funnel plot) and territorial homogeneity, on hand-made snapshots."""

from datetime import date

import numpy as np
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD
from scipy.stats import binom

from reti.monitoring.analytics import fair, homogeneity
from reti.monitoring.analytics.population import resident_population
from reti.monitoring.analytics.snapshot import Snapshot
from reti.monitoring.tests.snapshots import write_records

FOLLOWED = {
    "penal_execution": True,
    "exit_date": date(2023, 1, 15),
    "followup_observed_on": date(2023, 7, 20),
}


def regional_snapshot(tmp_path, counts: dict[str, tuple[int, int]], period="2021-2027"):
    """Per region (code -> (people followed up, of whom employed)), penal-execution records."""
    interventions, records = [], []
    macro = {"01": "nord", "03": "nord", "09": "centro", "12": "centro", "15": "mezzogiorno"}
    for k, (code, (n, employed)) in enumerate(sorted(counts.items()), start=1):
        interventions.append(
            {"intervention_id": k, "region_code": code, "macro_area": macro.get(code, "nord")}
            | {"period_code": period}
        )
        records += [
            FOLLOWED | {"intervention_id": k, "followup_employed": j < employed} for j in range(n)
        ]
    return Snapshot(write_records(tmp_path, records, interventions))


def test_funnel_points_limits_and_flags(tmp_path):
    counts = {"01": (400, 200), "03": (400, 120), "09": (20, 8), "12": (300, 200), "15": (10, 2)}
    plot = fair.funnel(regional_snapshot(tmp_path, counts), "penal_employed_6m")
    p0 = sum(e for _, e in counts.values()) / sum(n for n, _ in counts.values())
    assert plot.p0 == pytest.approx(p0)
    by = {p["region"]: p for p in plot.points}
    assert by["01"]["name"] == "Piemonte" and by["01"]["rate"] == 0.5
    # Lombardia's 30% on 400 people is far below; Molise-sized samples stay within the limits.
    assert by["03"]["band"] == "low_998"
    assert by["12"]["band"] == "high_998"
    assert by["09"]["band"] == "within" and by["15"]["band"] == "within"
    # The limits are the exact binomial quantiles and narrow as n grows.
    row = next(r for r in plot.curve if r["n"] >= 100)
    assert row["lo95"] == binom.ppf(0.025, row["n"], p0) / row["n"]
    assert row["hi998"] == binom.ppf(0.999, row["n"], p0) / row["n"]
    first, last = plot.curve[0], plot.curve[-1]
    assert last["hi95"] - last["lo95"] < first["hi95"] - first["lo95"]
    assert last["lo998"] <= last["lo95"] <= p0 <= last["hi95"] <= last["hi998"]


def test_funnel_counts_only_people_of_the_rate_in_the_six_month_window(tmp_path):
    records = [
        FOLLOWED | {"followup_employed": True},
        FOLLOWED | {"followup_employed": False},
        FOLLOWED | {"followup_employed": True, "followup_observed_on": date(2023, 9, 1)},  # late
        FOLLOWED | {"followup_employed": True, "penal_execution": False},  # other people
    ]
    plot = fair.funnel(Snapshot(write_records(tmp_path, records)), "penal_employed_6m")
    assert [(p["n"], p["events"]) for p in plot.points] == [(2, 1)]


def test_indices_agree_with_pysal():
    rng = np.random.default_rng(4)
    y = rng.gamma(4, 10, 21)
    groups = np.array(["nord"] * 9 + ["centro"] * 4 + ["mezzogiorno"] * 8)
    codes = [f"{k:02d}" for k in range(21)]
    got = homogeneity.indices(
        dict(zip(codes, y, strict=True)), dict(zip(codes, groups, strict=True))
    )
    assert got.gini == pytest.approx(Gini(y).g)
    assert got.theil == pytest.approx(Theil(y).T)
    split = TheilD(y, groups)
    assert got.theil_between == pytest.approx(float(np.squeeze(split.bg)))
    assert got.theil_within == pytest.approx(float(np.squeeze(split.wg)))
    assert got.theil_between + got.theil_within == pytest.approx(got.theil)
    assert got.cv == pytest.approx(np.std(y) / np.mean(y))
    assert got.max_min_ratio == pytest.approx(y.max() / y.min())


def test_equal_regions_are_perfectly_homogeneous():
    got = homogeneity.indices(
        {"01": 5.0, "09": 5.0, "15": 5.0}, {"01": "nord", "09": "centro", "15": "mezzogiorno"}
    )
    assert (got.cv, got.gini, got.theil, got.max_min_ratio) == (0, 0, 0, 1)


def test_sigma_convergence_over_periods(tmp_path):
    old = {"01": (100, 80), "09": (100, 50), "15": (100, 20)}
    new = {"01": (100, 60), "09": (100, 50), "15": (100, 40)}
    interventions, records = [], []
    k = 0
    for period, counts in (("2014-2020", old), ("2021-2027", new)):
        for code, (n, employed) in counts.items():
            k += 1
            interventions.append({"intervention_id": k, "region_code": code, "period_code": period})
            records += [
                FOLLOWED | {"intervention_id": k, "followup_employed": j < employed}
                for j in range(n)
            ]
    snapshot = Snapshot(write_records(tmp_path, records, interventions))
    result = homogeneity.homogeneity(snapshot, "penal_employed_6m")
    assert [p["period"] for p in result.by_period] == ["2014-2020", "2021-2027"]
    assert result.by_period[0]["indices"].cv > result.by_period[1]["indices"].cv
    assert result.converging is True
    assert result.by_period[1]["indices"].max_min_ratio == pytest.approx(60 / 40)


def test_rates_per_resident_use_istat_population(tmp_path):
    residents = resident_population(min_age=15, max_age=64)
    assert len(residents) == 21 and 30_000_000 < sum(residents.values()) < 45_000_000
    assert residents["03"] > residents["14"]  # Lombardia is larger than Molise
    interventions = [
        {"intervention_id": 1, "region_code": "03"},
        {"intervention_id": 2, "region_code": "14"},
    ]
    records = [{"intervention_id": 1}] * 30 + [{"intervention_id": 2}] * 10
    snapshot = Snapshot(write_records(tmp_path, records, interventions))
    values = {
        v["region"]: v["value"]
        for v in homogeneity.measure_values(snapshot, "participants_per_10k")
    }
    assert values["03"] == pytest.approx(1e4 * 30 / residents["03"])
    assert values["14"] == pytest.approx(1e4 * 10 / residents["14"])
