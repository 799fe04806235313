"""The added value of an instrument: its effect on employment six months after leaving.

Treated: participants of interventions funded through the chosen instrument (default the
Sovvenzione Globale); controls: participants of all other interventions. Only records whose
six-month follow-up was observed in its window with its outcome filled count
(definitions.SIX_MONTHS and `followup_employed` not empty); records observed in the window
with the outcome left empty ("not observed", which the import accepts) are left out of every
figure alike, and counted (`unobserved`) so the page can say how many.

Above SAMPLE_CAP records a deterministic sample enters the models (the records with the
smallest hash of their id): the result says so (`population`, `sample`) and the page too.
Rows enter the models in record-id order, so ties in the nearest-neighbour search are broken
by the record id and the estimate does not depend on the order the rows were read in.

- Propensity-score matching: a logistic model (scikit-learn) of being treated on what is known
  at entry (age, gender, ISCED, status and long-term unemployment, disadvantages, region,
  period); each treated participant is matched to the nearest control on the logit of the
  score, with replacement, within a caliper of 0.2 standard deviations of the logit (Austin
  2011); the effect on the treated (ATT) is the mean difference of outcomes, with the
  Abadie-Imbens variance for matching with replacement (controls' conditional variances from
  their nearest other control); the uncertainty of the estimated score is not propagated.
- Balance: standardised mean differences of every covariate before and after matching (pooled
  standard deviation of the unmatched samples).
- Difference-in-differences: employment at entry (before) and six months after leaving (after)
  for the same people, OLS (statsmodels) with errors clustered by intervention; valid under
  parallel trends.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from ..synthetic import DISADVANTAGES as DISADVANTAGE_COLUMNS
from .definitions import SIX_MONTHS
from .engine import Query, _where
from .snapshot import Snapshot

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_INSTRUMENT = "sovvenzione_globale"
CALIPER_SD = 0.2
SAMPLE_CAP = 60_000
Z95 = NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class AddedValue:
    instrument: str
    treated: int
    controls: int
    matched: int  # treated participants with a control inside the caliper
    naive: float | None  # raw difference in employment rates (None: not estimable)
    att: Estimate | None
    did: Estimate | None
    balance: list[dict]  # covariate, before, after
    unobserved: int = 0  # followed up in the window, outcome left empty: left out
    population: int = 0  # records with an observed outcome (before any sample)
    sample: int = 0  # records that entered the models (population, or SAMPLE_CAP of them)
    reason: str = ""  # why the estimates are missing: NO_TREATED, NO_CONTROLS, TOO_FEW

    @property
    def sampled(self) -> bool:
        return self.sample < self.population


# Why an estimate is missing (the page says it in words).
NO_TREATED = "no_treated"
NO_CONTROLS = "no_controls"
TOO_FEW = "too_few"
OBSERVED = "p.followup_employed IS NOT NULL"


def _scoped(filters: dict | None, condition: str) -> tuple[str, list]:
    where, params = _where(filters)
    return (f"{where} AND {condition}" if where else f" WHERE {condition}"), params


def _counts_query(filters: dict | None) -> Query:
    """Records followed up in the window: with the outcome observed, and left empty."""
    where, params = _scoped(filters, SIX_MONTHS)
    sql = (
        f"SELECT count_if({OBSERVED}) AS observed, count_if(NOT ({OBSERVED})) AS unobserved"
        f" FROM prepared p{where}"
    )
    return Query(sql, params)


def _data_query(filters: dict | None) -> Query:
    where, params = _scoped(filters, f"{SIX_MONTHS} AND {OBSERVED}")
    flags = ", ".join(f"CAST(p.{name} AS INTEGER) AS {name}" for name in DISADVANTAGE_COLUMNS)
    sql = (
        "SELECT p.record_id, p.intervention_id, p.instrument,"
        " CAST(p.followup_employed AS INTEGER) AS outcome,"
        " CAST(p.employed AS INTEGER) AS employed_at_entry,"
        " CAST(p.unemployed AS INTEGER) AS unemployed, CAST(p.inactive AS INTEGER) AS inactive,"
        " CAST(COALESCE(p.long_term_unemployed, FALSE) AS INTEGER) AS long_term_unemployed,"
        " p.age_at_entry AS age, COALESCE(p.isced, -1) AS isced, p.gender, p.region_code,"
        f" p.period_code, {flags} FROM prepared p{where}"
        f" ORDER BY hash(p.record_id), p.record_id LIMIT {SAMPLE_CAP}"
    )
    return Query(sql, params)


def _covariates(frame: pd.DataFrame) -> pd.DataFrame:
    """Pre-treatment covariates as numbers (dummies for categories, ISCED missing apart)."""
    import pandas as pd  # imported here, like the models: a cold worker does not need it

    x = pd.DataFrame(index=frame.index)
    x["age"] = frame["age"].astype(float)
    x["age_squared"] = x["age"] ** 2 / 100
    x["isced"] = frame["isced"].clip(lower=0).astype(float)
    x["isced_missing"] = (frame["isced"] < 0).astype(float)
    for name in ("unemployed", "inactive", "long_term_unemployed", *DISADVANTAGE_COLUMNS):
        x[name] = frame[name].astype(float)
    for column, prefix in (
        ("gender", "gender"),
        ("region_code", "region"),
        ("period_code", "period"),
    ):
        dummies = pd.get_dummies(frame[column].astype(str), prefix=prefix, drop_first=True)
        x = x.join(dummies.astype(float))
    return x


def _smd(treated: np.ndarray, control: np.ndarray, weights=None, scale=None) -> float:
    mean_c = np.average(control, weights=weights)
    if scale is None:
        scale = np.sqrt((treated.var() + control.var()) / 2)
    return float((treated.mean() - mean_c) / scale) if scale > 0 else 0.0


def match(frame: pd.DataFrame) -> tuple[Estimate | None, int, list[dict]]:
    """Propensity-score matching: (ATT with 95% interval, matched treated, balance table)."""
    # Imported here: scikit-learn takes seconds to import, and only this page needs it.
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestNeighbors

    frame = frame.sort_values("record_id", kind="stable").reset_index(drop=True)
    x = _covariates(frame)
    t = frame["treated"].to_numpy() == 1
    y = frame["outcome"].to_numpy().astype(float)
    if t.sum() < 10 or (~t).sum() < 10:
        return None, 0, []
    scaled = (x - x.mean()) / x.std(ddof=0).replace(0, 1)
    model = LogisticRegression(C=1e6, max_iter=2000).fit(scaled, t)
    score = np.clip(model.predict_proba(scaled)[:, 1], 1e-6, 1 - 1e-6)
    logit = np.log(score / (1 - score))
    caliper = CALIPER_SD * logit.std()
    controls = np.flatnonzero(~t)
    finder = NearestNeighbors(n_neighbors=1).fit(logit[controls, None])
    distance, nearest = finder.kneighbors(logit[t, None])
    keep = distance[:, 0] <= caliper
    treated_rows = np.flatnonzero(t)[keep]
    matched_rows = controls[nearest[keep, 0]]
    if len(treated_rows) < 10:
        return None, len(treated_rows), []
    differences = y[treated_rows] - y[matched_rows]
    att = differences.mean()
    # Abadie-Imbens: times each control is used, and its outcome variance from its nearest
    # other control on the logit.
    used = np.bincount(np.searchsorted(controls, matched_rows), minlength=len(controls))
    pair = NearestNeighbors(n_neighbors=2).fit(logit[controls, None])
    _, neighbours = pair.kneighbors(logit[controls, None])
    sigma2 = (y[controls] - y[controls[neighbours[:, 1]]]) ** 2 / 2
    n1 = len(treated_rows)
    variance = (((differences - att) ** 2).sum() + (used * (used - 1) * sigma2).sum()) / n1**2
    half = Z95 * np.sqrt(variance)
    weights = used.astype(float)
    balance = []
    for name in x.columns:
        column = x[name].to_numpy()
        scale = np.sqrt((column[t].var() + column[~t].var()) / 2)
        if scale == 0:
            continue
        balance.append(
            {
                "covariate": name,
                "before": _smd(column[t], column[~t], scale=scale),
                "after": _smd(column[treated_rows], column[controls], weights, scale=scale)
                if weights.sum()
                else None,
            }
        )
    return Estimate(float(att), float(att - half), float(att + half)), n1, balance


def difference_in_differences(frame: pd.DataFrame) -> Estimate | None:
    """Employment at entry and six months after leaving, treated against controls."""
    import pandas as pd
    import statsmodels.api as sm  # seconds to import: only this page needs it

    if frame["treated"].nunique() < 2 or frame["intervention_id"].nunique() < 4:
        return None
    frame = frame.sort_values("record_id", kind="stable").reset_index(drop=True)
    before = pd.DataFrame({"y": frame["employed_at_entry"], "post": 0, "treated": frame["treated"]})
    after = pd.DataFrame({"y": frame["outcome"], "post": 1, "treated": frame["treated"]})
    panel = pd.concat([before, after], ignore_index=True).astype(float)
    panel["treated_post"] = panel["treated"] * panel["post"]
    groups = np.concatenate([frame["intervention_id"].to_numpy()] * 2)
    fit = sm.OLS(panel["y"], sm.add_constant(panel[["treated", "post", "treated_post"]])).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    low, high = fit.conf_int().loc["treated_post"]
    return Estimate(float(fit.params["treated_post"]), float(low), float(high))


def added_values(
    snapshot: Snapshot, instruments: tuple[str, ...], filters: dict | None = None
) -> dict[str, AddedValue]:
    """The added value of each of `instruments`, from one read of the records."""
    counts = snapshot.rows(_counts_query(filters))[0]
    observed, unobserved = (int(counts[k] or 0) for k in ("observed", "unobserved"))
    frame = snapshot.frame(_data_query(filters))
    return {
        instrument: _estimate(frame, instrument, observed, unobserved) for instrument in instruments
    }


def added_value(
    snapshot: Snapshot, instrument: str = DEFAULT_INSTRUMENT, filters: dict | None = None
) -> AddedValue:
    """Matching and difference-in-differences estimates of the instrument's effect."""
    return added_values(snapshot, (instrument,), filters)[instrument]


def _estimate(frame, instrument: str, population: int, unobserved: int) -> AddedValue:
    frame = frame.assign(treated=(frame["instrument"] == instrument).astype(int))
    treated = int(frame["treated"].sum()) if len(frame) else 0
    controls = len(frame) - treated
    reason = NO_TREATED if not treated else NO_CONTROLS if not controls else ""
    naive = (
        float(
            frame.loc[frame.treated == 1, "outcome"].mean()
            - frame.loc[frame.treated == 0, "outcome"].mean()
        )
        if not reason
        else None
    )
    att, matched, balance = match(frame) if not reason else (None, 0, [])
    did = difference_in_differences(frame) if not reason else None
    if not reason and att is None:
        reason = TOO_FEW
    return AddedValue(
        instrument,
        treated,
        controls,
        matched,
        naive,
        att,
        did,
        balance,
        unobserved=unobserved,
        population=population,
        sample=len(frame),
        reason=reason,
    )
