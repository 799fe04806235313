"""The added value of an instrument: its effect on employment six months after leaving.

Treated: participants of interventions funded through the chosen instrument (default the
Sovvenzione Globale); controls: participants of all other interventions pooled, or of one
other instrument the user chooses (`compare`). Only records whose six-month follow-up was
observed in its window with its outcome filled count (definitions.SIX_MONTHS and
`followup_employed` not empty); records observed in the window with the outcome left empty
("not observed", which the import accepts) are left out of every figure alike, and counted
(`unobserved`) so the page can say how many.

Above SAMPLE_CAP records a deterministic sample enters the models (the records with the
smallest MD5 of their id, SAMPLE_ORDER): the result says so (`population`, `sample`) and
the page too.
Rows enter the models in record-id order, so ties in the nearest-neighbour search are broken
by the record id and the estimate does not depend on the order the rows were read in.

- Propensity-score matching: a logistic model (scikit-learn) of being treated on what is known
  at entry: age and its square, ISCED as categories (0-2, 3-4, 5-8, not given), status and
  long-term unemployment, disadvantages, gender, region, period, and the interactions of age
  with the ISCED categories and with long-term unemployment (MODEL_TERMS); each treated
  participant is matched to the nearest control on the logit of the score, with replacement,
  within a caliper of 0.2 standard deviations of the logit (Austin 2011). The effect on the
  treated (ATT) is the mean difference of outcomes, with two 95% intervals that answer two
  questions:
  - `att`: the effect on *these participants*, Abadie-Imbens variance for matching with
    replacement (controls' conditional variances from their nearest other control);
  - `att_cluster`: the effect of *the instrument*, when its interventions differ in quality:
    cluster-robust variance of the mean difference with the treated participants' intervention
    as the cluster, a t quantile with (clusters - 1) degrees of freedom; not estimable with
    fewer than MIN_CLUSTERS treated interventions. With few interventions it is the wider and
    the honest one.
  The uncertainty of the estimated score is not propagated.
- Balance: standardised mean differences (pooled standard deviation of the unmatched samples)
  and variance ratios (treated over matched controls; Rubin 2001: between 0.5 and 2) of every
  model term before and after matching, and of CHECK_TERMS, terms the model does not contain
  (age cubed, ISCED as a linear level, gender by status): an imbalance there shows a selection
  the model missed.
- Difference-in-differences, *descriptive*: the change from employment at entry to employment
  six months after leaving, regressed (OLS, statsmodels) on being treated and the model's
  covariates except the status at entry (STATUS_AT_ENTRY: it is the "before" itself), errors
  clustered by intervention. It is valid only under (conditional) parallel
  trends, which Reti cannot check: a participant record has one observation before the
  intervention, so there is no pre-trend to compare. The page labels it descriptive.
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
MIN_CLUSTERS = 5
# Rubin (2001): a variance ratio outside these bounds is a sign of imbalance.
VARIANCE_RATIO_BOUNDS = (0.5, 2.0)
# Above this absolute standardised mean difference a covariate is not balanced (Austin 2009).
SMD_LIMIT = 0.1
SAMPLE_CAP = 60_000
# The sample's order: the MD5 of the record id written in decimal, a hexadecimal string that
# DuckDB, Spark and Trino compute alike (their own hash() functions differ), so every engine
# draws the same sample from the same files.
SAMPLE_ORDER = "md5(CAST(p.record_id AS VARCHAR))"
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
    did: Estimate | None  # descriptive: parallel trends cannot be checked
    balance: list[dict]  # covariate, before, after, variance_ratio, in_model
    unobserved: int = 0  # followed up in the window, outcome left empty: left out
    population: int = 0  # records with an observed outcome (before any sample)
    sample: int = 0  # records that entered the models (population, or SAMPLE_CAP of them)
    reason: str = ""  # why the estimates are missing: NO_TREATED, NO_CONTROLS, TOO_FEW
    att_cluster: Estimate | None = None  # the instrument's effect, intervention clusters
    clusters: int = 0  # treated interventions among the matched
    compare: str = ""  # the comparison instrument; "" for all other instruments pooled

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
        # COALESCE: over no record DuckDB's count_if is NULL and Spark's 0.
        f"SELECT COALESCE(count_if({OBSERVED}), 0) AS observed,"
        f" COALESCE(count_if(NOT ({OBSERVED})), 0) AS unobserved"
        f" FROM prepared p{where}"
    )
    return Query(sql, params, "added_value_counts")


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
        f" ORDER BY {SAMPLE_ORDER}, p.record_id LIMIT {SAMPLE_CAP}"
    )
    return Query(sql, params, "added_value_records")


ISCED_GROUPS = (("isced_medium", 3, 4), ("isced_high", 5, 8))  # 0-2 is the base group
# Terms that say whether the person was employed at entry: the "before" of the
# difference-in-differences, so not among its covariates.
STATUS_AT_ENTRY = ("unemployed", "inactive", "long_term_unemployed", "age_x_long_term_unemployed")


def _covariates(frame: pd.DataFrame) -> pd.DataFrame:
    """The model's terms (MODEL_TERMS): pre-treatment covariates as numbers, dummies for
    categories (ISCED 0-2, gender's first, region's first, period's first are the base)."""
    import pandas as pd  # imported here, like the models: a cold worker does not need it

    x = pd.DataFrame(index=frame.index)
    x["age"] = frame["age"].astype(float)
    x["age_squared"] = x["age"] ** 2 / 100
    isced = frame["isced"]
    for name, low, high in ISCED_GROUPS:
        x[name] = isced.between(low, high).astype(float)
    x["isced_missing"] = (isced < 0).astype(float)
    for name in ("unemployed", "inactive", "long_term_unemployed", *DISADVANTAGE_COLUMNS):
        x[name] = frame[name].astype(float)
    for name, _low, _high in ISCED_GROUPS:
        x[f"age_x_{name}"] = x["age"] * x[name]
    x["age_x_long_term_unemployed"] = x["age"] * x["long_term_unemployed"]
    for column, prefix in (
        ("gender", "gender"),
        ("region_code", "region"),
        ("period_code", "period"),
    ):
        dummies = pd.get_dummies(frame[column].astype(str), prefix=prefix, drop_first=True)
        x = x.join(dummies.astype(float))
    return x


def _check_terms(frame: pd.DataFrame) -> pd.DataFrame:
    """Terms the model does not contain, whose balance shows a selection it missed."""
    import pandas as pd

    age = frame["age"].astype(float)
    female = (frame["gender"].astype(str) == "female").astype(float)
    x = pd.DataFrame(index=frame.index)
    x["age_cubed"] = age**3 / 10_000
    x["isced_level"] = frame["isced"].clip(lower=0).astype(float)
    x["female_x_unemployed"] = female * frame["unemployed"].astype(float)
    x["female_x_inactive"] = female * frame["inactive"].astype(float)
    return x


def _smd(treated: np.ndarray, control: np.ndarray, weights=None, scale=None) -> float:
    mean_c = np.average(control, weights=weights)
    if scale is None:
        scale = np.sqrt((treated.var() + control.var()) / 2)
    return float((treated.mean() - mean_c) / scale) if scale > 0 else 0.0


def _variance_ratio(treated: np.ndarray, control: np.ndarray, weights=None) -> float | None:
    """Variance of the treated over the (weighted) variance of the controls."""
    mean_c = np.average(control, weights=weights)
    var_c = np.average((control - mean_c) ** 2, weights=weights)
    return float(treated.var() / var_c) if var_c > 0 else None


def _balance(columns, t, treated_rows, controls, weights, in_model: bool) -> list[dict]:
    rows = []
    for name in columns.columns:
        column = columns[name].to_numpy()
        scale = np.sqrt((column[t].var() + column[~t].var()) / 2)
        if scale == 0:
            continue
        rows.append(
            {
                "covariate": name,
                "before": _smd(column[t], column[~t], scale=scale),
                "after": _smd(column[treated_rows], column[controls], weights, scale=scale),
                "variance_ratio": _variance_ratio(column[treated_rows], column[controls], weights),
                "in_model": in_model,
            }
        )
    return rows


def imbalanced(row: dict) -> bool:
    """A balance row outside the limits after matching: |SMD| over SMD_LIMIT, or a variance
    ratio outside VARIANCE_RATIO_BOUNDS."""
    after, ratio = row.get("after"), row.get("variance_ratio")
    low, high = VARIANCE_RATIO_BOUNDS
    return (after is not None and abs(after) > SMD_LIMIT) or (
        ratio is not None and not low <= ratio <= high
    )


def _cluster_interval(differences: np.ndarray, groups: np.ndarray) -> tuple[Estimate | None, int]:
    """The mean of `differences` with a cluster-robust 95% interval (clusters: `groups`)."""
    from scipy.stats import t as student

    mean = differences.mean()
    labels, index = np.unique(groups, return_inverse=True)
    count = len(labels)
    if count < MIN_CLUSTERS:
        return None, count
    sums = np.bincount(index, weights=differences - mean, minlength=count)
    variance = (sums**2).sum() / len(differences) ** 2 * count / (count - 1)
    half = student.ppf(0.975, count - 1) * np.sqrt(variance)
    return Estimate(float(mean), float(mean - half), float(mean + half)), count


@dataclass(frozen=True)
class Matching:
    att: Estimate | None
    matched: int
    balance: list[dict]
    att_cluster: Estimate | None = None
    clusters: int = 0


def match(frame: pd.DataFrame) -> Matching:
    """Propensity-score matching: the ATT with its two 95% intervals, the matched treated,
    the balance table."""
    # Imported here: scikit-learn takes seconds to import, and only this page needs it.
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestNeighbors

    frame = frame.sort_values("record_id", kind="stable").reset_index(drop=True)
    x = _covariates(frame)
    t = frame["treated"].to_numpy() == 1
    y = frame["outcome"].to_numpy().astype(float)
    if t.sum() < 10 or (~t).sum() < 10:
        return Matching(None, 0, [])
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
        return Matching(None, len(treated_rows), [])
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
    clustered, clusters = _cluster_interval(
        differences, frame["intervention_id"].to_numpy()[treated_rows]
    )
    weights = used.astype(float)
    balance = _balance(x, t, treated_rows, controls, weights, in_model=True)
    balance += _balance(_check_terms(frame), t, treated_rows, controls, weights, in_model=False)
    return Matching(
        Estimate(float(att), float(att - half), float(att + half)), n1, balance, clustered, clusters
    )


def _independent(x: pd.DataFrame) -> pd.DataFrame:
    """The columns of `x` that are not a linear mix of earlier ones (a small selection can
    make a region dummy repeat a period's, say): QR without pivoting, in column order."""
    values = x.to_numpy(dtype=float)
    r = np.linalg.qr(values, mode="r")
    diagonal = np.abs(np.diag(r))
    keep = diagonal > 1e-9 * max(diagonal.max(), 1.0) * np.sqrt(len(values))
    return x.loc[:, keep]


def difference_in_differences(frame: pd.DataFrame) -> Estimate | None:
    """The change in employment from entry to six months after leaving, treated against
    controls, adjusted for the model's covariates (descriptive: see the module docstring)."""
    import statsmodels.api as sm  # seconds to import: only this page needs it

    if frame["treated"].nunique() < 2 or frame["intervention_id"].nunique() < 4:
        return None
    frame = frame.sort_values("record_id", kind="stable").reset_index(drop=True)
    change = (frame["outcome"] - frame["employed_at_entry"]).astype(float)
    x = _covariates(frame).drop(columns=list(STATUS_AT_ENTRY))
    x = x.loc[:, x.std(ddof=0) > 0]
    x.insert(0, "treated", frame["treated"].astype(float))
    x = _independent(sm.add_constant(x, has_constant="add"))
    if "treated" not in x.columns:  # being treated is a mix of covariates: no estimate
        return None
    fit = sm.OLS(change, x).fit(
        cov_type="cluster", cov_kwds={"groups": frame["intervention_id"].to_numpy()}
    )
    low, high = fit.conf_int().loc["treated"]
    return Estimate(float(fit.params["treated"]), float(low), float(high))


def added_values(
    snapshot: Snapshot,
    instruments: tuple[str, ...],
    filters: dict | None = None,
    compare: str = "",
) -> dict[str, AddedValue]:
    """The added value of each of `instruments`, from one read of the records; controls are
    all other instruments, or only `compare`."""
    counts = snapshot.rows(_counts_query(filters))[0]
    observed, unobserved = (int(counts[k] or 0) for k in ("observed", "unobserved"))
    frame = snapshot.frame(_data_query(filters))
    return {
        instrument: _estimate(frame, instrument, observed, unobserved, compare)
        for instrument in instruments
    }


def added_value(
    snapshot: Snapshot,
    instrument: str = DEFAULT_INSTRUMENT,
    filters: dict | None = None,
    compare: str = "",
) -> AddedValue:
    """Matching and difference-in-differences estimates of the instrument's effect."""
    return added_values(snapshot, (instrument,), filters, compare)[instrument]


def _estimate(frame, instrument: str, population: int, unobserved: int, compare: str = ""):
    if compare:
        frame = frame[frame["instrument"].isin([instrument, compare])]
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
    matching = match(frame) if not reason else Matching(None, 0, [])
    did = difference_in_differences(frame) if not reason else None
    if not reason and matching.att is None:
        reason = TOO_FEW
    return AddedValue(
        instrument,
        treated,
        controls,
        matching.matched,
        naive,
        matching.att,
        did,
        matching.balance,
        unobserved=unobserved,
        population=population,
        sample=len(frame),
        reason=reason,
        att_cluster=matching.att_cluster,
        clusters=matching.clusters,
        compare=compare,
    )
