"""Disclosure control attacked: every public output of a selection, solved for every hidden count.

The attacker here is written apart from disclosure.py's own audit. It knows the definitions
(which records each indicator, value and rate counts) and reads every number the public outputs
of one selection publish: the indicator tables (EECO01-05, CO01/03/05, EECR05, CR06 by region
and gender with totals and Italy), the homogeneity values and indices (participants per 10,000
residents, the employment rate), and the funnel plot (people, employed, national rate). Each
published number is a linear equation (or, for a rounded figure, a pair of inequalities) on the
true counts of records by region, period, gender, status at entry and outcome. Integer
programs (scipy's milp, counts >= 0) then give the smallest and largest value of every hidden
count; none may be pinned to one value. Non-linear indices (coefficient of variation, Gini,
Theil) are left out of the equations: they are computed from the published values only, so
they cannot carry a hidden one.
"""

import tempfile
from datetime import date
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from reti.monitoring.analytics import public
from reti.monitoring.analytics.population import resident_population
from reti.monitoring.analytics.snapshot import Snapshot
from reti.monitoring.tests.snapshots import write_records

REGIONS = ("02", "09", "12")  # Valle d'Aosta (few residents), Toscana, Lazio
PERIODS = ("2014-2020", "2021-2027")
GENDERS = ("female", "male", "non_binary")
STATUSES = ("unemployed", "inactive", "employed")
OUTCOMES = ("not_followed", "followed", "employed")  # six months after leaving
FOLLOWED = {"exit_date": date(2023, 1, 15), "followup_observed_on": date(2023, 7, 20)}
CELLS = [
    (r, p, g, s, o)
    for r in REGIONS
    for p in PERIODS
    for g in GENDERS
    for s in STATUSES
    for o in OUTCOMES
]


# What each published indicator counts: (period, condition on (status, outcome)).
INDICATORS = {
    "EECO01": (PERIODS[1], lambda s, o: True),
    "EECO02": (PERIODS[1], lambda s, o: s == "unemployed"),
    "EECO04": (PERIODS[1], lambda s, o: s == "inactive"),
    "EECO05": (PERIODS[1], lambda s, o: s == "employed"),
    "EECR05": (PERIODS[1], lambda s, o: o == "employed"),
    "CO01": (PERIODS[0], lambda s, o: s == "unemployed"),
    "CO03": (PERIODS[0], lambda s, o: s == "inactive"),
    "CO05": (PERIODS[0], lambda s, o: s == "employed"),
    "CR06": (PERIODS[0], lambda s, o: o == "employed"),
}


def _snapshot(directory, counts: dict[tuple, int]) -> Snapshot:
    interventions, records = [], []
    ids = {}
    for region in REGIONS:
        for period in PERIODS:
            ids[(region, period)] = k = len(ids) + 1
            interventions.append(
                {"intervention_id": k, "region_code": region} | {"period_code": period}
            )
    for (region, period, gender, status, outcome), n in counts.items():
        record = {"intervention_id": ids[(region, period)], "gender": gender}
        record["status_at_entry"] = status
        if outcome != "not_followed":
            record |= FOLLOWED | {"followup_employed": outcome == "employed"}
        records += [record] * n
    return Snapshot(write_records(directory, records, interventions))


def _decimals_tolerance(value: float) -> float:
    """Half a unit of the last decimal the number carries (what rounding could hide)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0.5 * 10.0 ** min(exponent, 0), 1e-9)


class Attacker:
    """Linear equations and inequalities over the counts of CELLS."""

    def __init__(self):
        self.index = {c: k for k, c in enumerate(CELLS)}
        self.rows, self.low, self.high = [], [], []

    def vector(self, match) -> np.ndarray:
        return np.array([1.0 if match(*c) else 0.0 for c in CELLS])

    def between(self, row: np.ndarray, low: float, high: float) -> None:
        self.rows.append(row)
        self.low.append(low)
        self.high.append(high)

    def equal(self, row, value) -> None:
        self.between(row, value, value)

    def solve(self, row: np.ndarray) -> tuple[int, int]:
        constraint = LinearConstraint(np.array(self.rows), self.low, self.high)
        integral = np.ones(len(CELLS))
        ends = []
        for sign in (1, -1):
            found = milp(
                sign * row, constraints=constraint, integrality=integral, bounds=Bounds(0, 500)
            )
            assert found.success, found.message
            ends.append(round(sign * found.fun))
        return ends[0], ends[1]


def attack(snapshot, data: dict) -> dict:
    """Every hidden count of the selection with the range of values it could take."""
    residents = resident_population(min_age=15, max_age=64)
    attacker = Attacker()
    hidden = {}
    for code, (period, condition) in INDICATORS.items():
        for row in public.indicator_table(snapshot, code):
            region = row["region"]
            for gender in (*GENDERS, "total"):

                def match(
                    r, p, g, s, o, region=region, gender=gender, period=period, condition=condition
                ):
                    return (
                        p == period
                        and (region == "IT" or r == region)
                        and (gender == "total" or g == gender)
                        and condition(s, o)
                    )

                vector = attacker.vector(match)
                if row[gender] is None:
                    hidden[(code, region, gender)] = vector
                else:
                    attacker.equal(vector, row[gender])

    def people(region, period):
        return attacker.vector(lambda r, p, g, s, o: r == region and p == period)

    result = public.public_homogeneity(snapshot, "participants_per_10k")
    for v in result.values:
        vector = people(v["region"], v["period"]) * 1e4 / residents[v["region"]]
        if v["value"] is None:
            hidden[("participants", v["region"], v["period"])] = people(v["region"], v["period"])
        else:
            tol = _decimals_tolerance(v["value"])
            attacker.between(vector, v["value"] - tol, v["value"] + tol)
    names = {v["name"]: v["region"] for v in result.values}
    for p in result.by_period:
        included = [names[n] for n in p["regions"]]
        total = sum(people(r, p["period"]) * 1e4 / residents[r] for r in included)
        k, mean = p["indices"].regions, p["indices"].mean
        assert k == len(included)
        # The mean is of the published (rounded) values, then rounded itself.
        tol = k * (_decimals_tolerance(mean) + 0.005) + 1e-9
        attacker.between(total, k * mean - tol, k * mean + tol)

    def followed(region, period, employed=None):
        return attacker.vector(
            lambda r, p, g, s, o: (
                r == region
                and (period is None or p == period)
                and o != "not_followed"
                and (employed is None or (o == "employed") == employed)
            )
        )

    result = public.public_homogeneity(snapshot, "employed_6m")
    for v in result.values:
        events = followed(v["region"], v["period"], True)
        n = followed(v["region"], v["period"])
        if v["value"] is None:
            hidden[("employed", v["region"], v["period"])] = events
            hidden[("followed", v["region"], v["period"])] = n
        else:
            tol = _decimals_tolerance(v["value"])
            attacker.between(events - (v["value"] + tol) / 100 * n, -np.inf, 0)
            attacker.between(events - (v["value"] - tol) / 100 * n, 0, np.inf)

    plot = public.public_funnel(snapshot, "employed_6m")
    shown = {p["region"] for p in plot.points}
    for p in plot.points:
        attacker.equal(followed(p["region"], None, True), p["events"])
        attacker.equal(followed(p["region"], None), p["n"])
    events = sum(followed(r, None, True) for r in shown) if shown else None
    if events is not None:
        n = sum(followed(r, None) for r in shown)
        tol = _decimals_tolerance(plot.p0)
        attacker.between(events - (plot.p0 + tol) * n, -np.inf, 0)
        attacker.between(events - (plot.p0 - tol) * n, 0, np.inf)
    for region in set(REGIONS) - shown:
        if not followed(region, None) @ np.array([data[c] for c in CELLS]):
            continue  # no one followed up: the region has no point, hidden or not
        hidden[("funnel employed", region)] = followed(region, None, True)
        hidden[("funnel followed", region)] = followed(region, None)

    ranges, solved = {}, {}
    for cell, vector in hidden.items():
        if not vector.any():
            continue  # a count no record can enter (another period's indicator): always zero
        key = vector.tobytes()
        if key not in solved:
            solved[key] = attacker.solve(vector)
        ranges[cell] = solved[key]
    return ranges


counts = st.lists(
    st.sampled_from([0, 0, 0, 1, 2, 3, 6, 12]), min_size=len(CELLS), max_size=len(CELLS)
)


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(counts)
def test_no_hidden_count_can_be_solved_from_every_public_output_of_a_selection(draws):
    data = dict(zip(CELLS, draws, strict=True))
    with tempfile.TemporaryDirectory() as directory:
        snapshot = _snapshot(directory, data)
        try:
            ranges = attack(snapshot, data)
        finally:
            snapshot.close()
    pinned = {cell: r for cell, r in ranges.items() if r[0] == r[1]}
    assert not pinned, pinned


def _selection(participants: dict, eeco01: dict):
    from reti.monitoring.analytics.disclosure import Partition, Selection

    indicators = {("EECO01", region, "female"): n for region, n in eeco01.items()}
    return Selection(
        regions=tuple(sorted(eeco01)),
        periods=(PERIODS[1],),
        indicators=indicators,
        participants={(region, PERIODS[1]): n for region, n in participants.items()},
        rates={},
        partitions=(Partition(PERIODS[1], "EECO01", ()),),
    )


def test_a_count_hidden_in_one_output_is_hidden_in_every_output_of_the_selection():
    from reti.monitoring.analytics.disclosure import (
        indicator_key,
        participants_key,
        protect,
        recoverable,
        system,
    )

    counts = {"02": 3, "03": 10, "09": 20, "12": 40}
    protected = protect(_selection(counts, counts), threshold=5)
    for region in ("02", "03"):  # Valle d'Aosta under the threshold, Lombardia its complement
        assert protected.count(indicator_key("EECO01", region, "total")) is None
        assert protected.count(participants_key(region, PERIODS[1])) is None
    assert protected.count(participants_key("09", PERIODS[1])) == 20
    values, relations = system(_selection(counts, counts))
    assert recoverable(values, relations, set(protected.hidden)) == []


def test_an_identity_that_does_not_hold_in_the_data_is_not_assumed():
    from reti.monitoring.analytics.disclosure import participants_key, protect

    # Two people of unknown gender in Toscana: its participants are not its EECO01 total.
    counts = {"02": 3, "03": 10, "09": 20, "12": 40}
    protected = protect(_selection(counts | {"09": 22}, counts), threshold=5)
    assert protected.count(participants_key("09", PERIODS[1])) == 22
