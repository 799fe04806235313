"""The added value of an instrument: its effect on employment six months after leaving.

Treated: participants of interventions funded through the chosen instrument (default the
Sovvenzione Globale); controls: participants of all other interventions. Only records whose
six-month follow-up was observed in its window count (definitions.SIX_MONTHS).

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
    naive: float  # raw difference in employment rates
    att: Estimate | None
    did: Estimate | None
    balance: list[dict]  # covariate, before, after


def _data_query(instrument: str, filters: dict | None) -> Query:
    where, params = _where(filters)
    condition = SIX_MONTHS
    where = f"{where} AND {condition}" if where else f" WHERE {condition}"
    flags = ", ".join(f"CAST(p.{name} AS INTEGER) AS {name}" for name in DISADVANTAGE_COLUMNS)
    sql = (
        "SELECT p.intervention_id, CAST(p.instrument = ? AS INTEGER) AS treated,"
        " CAST(p.followup_employed AS INTEGER) AS outcome,"
        " CAST(p.employed AS INTEGER) AS employed_at_entry,"
        " CAST(p.unemployed AS INTEGER) AS unemployed, CAST(p.inactive AS INTEGER) AS inactive,"
        " CAST(COALESCE(p.long_term_unemployed, FALSE) AS INTEGER) AS long_term_unemployed,"
        " p.age_at_entry AS age, COALESCE(p.isced, -1) AS isced, p.gender, p.region_code,"
        f" p.period_code, {flags} FROM prepared p{where}"
        f" ORDER BY hash(p.record_id) LIMIT {SAMPLE_CAP}"
    )
    return Query(sql, [instrument, *params])


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


def added_value(
    snapshot: Snapshot, instrument: str = DEFAULT_INSTRUMENT, filters: dict | None = None
) -> AddedValue:
    """Matching and difference-in-differences estimates of the instrument's effect."""
    frame = snapshot.frame(_data_query(instrument, filters))
    treated = int(frame["treated"].sum()) if len(frame) else 0
    controls = len(frame) - treated
    naive = (
        float(
            frame.loc[frame.treated == 1, "outcome"].mean()
            - frame.loc[frame.treated == 0, "outcome"].mean()
        )
        if treated and controls
        else float("nan")
    )
    att, matched, balance = match(frame) if treated and controls else (None, 0, [])
    did = difference_in_differences(frame) if treated and controls else None
    return AddedValue(instrument, treated, controls, matched, naive, att, did, balance)
