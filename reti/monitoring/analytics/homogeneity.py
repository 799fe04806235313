"""Territorial homogeneity of a regional measure and its trend over programming periods.

Indices over the regions (each region one unit, unweighted, as PySAL `inequality` computes
them; tests cross-check): coefficient of variation, Gini, Theil's T with its split into
between and within the macro-areas (Nord, Centro, Mezzogiorno), and the max/min ratio.
Sigma-convergence: the coefficient of variation falls from one period to the next.

`homogeneity` computes over every region (for tests and staff); the public page reads
`published_homogeneity`, which takes its values from the disclosure control
(disclosure.Protected): a hidden region's value is not shown and not in any index, the indices
are computed from the published (rounded) values and rounded in turn, each period names the
regions it includes, and sigma-convergence compares the same regions in every period.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from .disclosure import Protected, common_units, participants_key, rate_key, rounded
from .population import POPULATION_YEAR, resident_population
from .rates import RATES, participants_query, rate_query
from .regions import MACRO_AREAS, region_names, regions
from .snapshot import Snapshot


@dataclass(frozen=True)
class Indices:
    regions: int
    mean: float
    cv: float
    gini: float
    theil: float
    theil_between: float
    theil_within: float
    max_min_ratio: float | None


def gini(y: np.ndarray) -> float:
    """Mean absolute difference over all ordered pairs, over twice the mean."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    return float(np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * y.mean()))


def theil(y: np.ndarray) -> float:
    y = np.asarray(y, dtype=float)
    share = y / y.mean()
    positive = share > 0
    return float((share[positive] * np.log(share[positive])).sum() / len(y))


def indices(values: dict[str, float], groups: dict[str, str]) -> Indices | None:
    """The indices of `values` (region -> value) with `groups` (region -> macro-area)."""
    codes = sorted(values)
    y = np.array([values[c] for c in codes], dtype=float)
    if len(y) < 2 or y.mean() <= 0:
        return None
    mu = y.mean()
    total = theil(y)
    between = 0.0
    within = 0.0
    for group in sorted({groups[c] for c in codes}):
        member = np.array([groups[c] == group for c in codes])
        yg = y[member]
        share = yg.sum() / y.sum()
        if yg.mean() > 0:
            between += share * np.log(yg.mean() / mu)
            within += share * theil(yg)
    low = y.min()
    return Indices(
        regions=len(y),
        mean=float(mu),
        cv=float(y.std() / mu),
        gini=gini(y),
        theil=total,
        theil_between=float(between),
        theil_within=float(within),
        max_min_ratio=float(y.max() / low) if low > 0 else None,
    )


@dataclass(frozen=True)
class Homogeneity:
    measure: str
    values: list[dict]  # region, name, macro_area, period, value
    by_period: list[dict]  # period, indices
    converging: bool | None  # sigma-convergence across the periods in order
    population_year: int | None
    compared: list[str] = ()  # the regions sigma-convergence compares (published in every period)


MEASURES = ("participants_per_10k", *RATES)


def measure_values(snapshot: Snapshot, measure: str, filters: dict | None = None) -> list[dict]:
    """The measure by region and period: participants per 10,000 residents aged 15-64, or a
    rate of RATES in per cent."""
    macro = {r.code: r.macro_area for r in regions()}
    names = region_names()
    if measure == "participants_per_10k":
        residents = resident_population(min_age=15, max_age=64)
        rows = snapshot.rows(participants_query(("region", "period"), filters))
        values = [
            (
                r["region"],
                r["period"],
                1e4 * r["participants"] / residents[r["region"]],
                r["participants"],
            )
            for r in rows
            if residents.get(r["region"])
        ]
    else:
        rows = snapshot.rows(rate_query(RATES[measure], ("region", "period"), filters))
        values = [
            (
                r["region"],
                r["period"],
                100 * r["events"] / r["n"],
                min(r["events"], r["n"] - r["events"]),
            )
            for r in rows
            if r["n"]
        ]
    return [
        {
            "region": code,
            "name": names.get(code, code),
            "macro_area": macro.get(code, ""),
            "period": period,
            "value": value,
            "count": count,  # the smallest count behind the value (for suppression)
        }
        for code, period, value, count in values
    ]


def homogeneity(snapshot: Snapshot, measure: str, filters: dict | None = None) -> Homogeneity:
    values = measure_values(snapshot, measure, filters)
    macro = {r.code: r.macro_area for r in regions()}
    by_period = []
    for period in sorted({v["period"] for v in values}):
        found = indices({v["region"]: v["value"] for v in values if v["period"] == period}, macro)
        if found:
            by_period.append({"period": period, "indices": found})
    cvs = [p["indices"].cv for p in by_period]
    converging = all(b < a for a, b in itertools.pairwise(cvs)) if len(cvs) > 1 else None
    return Homogeneity(
        measure,
        values,
        by_period,
        converging,
        POPULATION_YEAR if measure == "participants_per_10k" else None,
    )


def published_homogeneity(protected: Protected, measure: str) -> Homogeneity:
    """The homogeneity of `measure` as the public may see it (see the module docstring).

    A region and period is listed when it has people (or when its count is hidden: leaving it
    out would tell it is zero); its value is None when any count behind it is hidden.
    """
    macro = {r.code: r.macro_area for r in regions()}
    names = region_names()
    residents = resident_population(min_age=15, max_age=64) if measure not in RATES else {}
    values = []
    for period in protected.periods:
        for code in protected.regions:
            if measure in RATES:
                keys = [rate_key(measure, part, code, period) for part in ("events", "others", "n")]
                if not all(k in protected.values for k in keys):
                    continue
                events, _, n = (protected.values[k] for k in keys)
                shown = protected.shown(*keys)
                value = 100 * events / n if shown and n else None
            else:
                key = participants_key(code, period)
                if key not in protected.values or not residents.get(code):
                    continue
                n = protected.values[key]
                shown = protected.shown(key)
                value = 1e4 * n / residents[code] if shown else None
            if n or not shown:
                values.append(
                    {
                        "region": code,
                        "name": names.get(code, code),
                        "macro_area": macro.get(code, ""),
                        "period": period,
                        "value": rounded(value, "value"),
                    }
                )
    by_period = []
    published: dict[str, dict[str, float]] = {}
    for period in protected.periods:
        shown = {v["region"]: v["value"] for v in values if v["period"] == period}
        published[period] = {c: v for c, v in shown.items() if v is not None}
        found = _rounded(indices(published[period], macro))
        if found:
            by_period.append(
                {
                    "period": period,
                    "indices": found,
                    "regions": [names.get(c, c) for c in sorted(published[period])],
                }
            )
    periods = [p["period"] for p in by_period]
    common = common_units({p: published[p] for p in periods})
    converging = None
    if len(periods) > 1 and len(common) >= 2:
        cvs = [_rounded(indices({c: published[p][c] for c in common}, macro)) for p in periods]
        if all(cvs):
            converging = all(b.cv < a.cv for a, b in itertools.pairwise(cvs))
    return Homogeneity(
        measure,
        values,
        by_period,
        converging,
        POPULATION_YEAR if measure == "participants_per_10k" else None,
        [names.get(c, c) for c in common] if converging is not None else [],
    )


def _rounded(found: Indices | None) -> Indices | None:
    """The indices to the decimals the page shows (disclosure.DECIMALS)."""
    if found is None:
        return None
    return Indices(
        regions=found.regions,
        mean=rounded(found.mean, "mean"),
        cv=rounded(found.cv, "cv"),
        gini=rounded(found.gini, "gini"),
        theil=rounded(found.theil, "theil"),
        theil_between=rounded(found.theil_between, "theil"),
        theil_within=rounded(found.theil_within, "theil"),
        max_min_ratio=rounded(found.max_min_ratio, "ratio"),
    )


__all__ = ["MACRO_AREAS", "MEASURES", "homogeneity", "indices"]
