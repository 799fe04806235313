"""The administrative efficiency of an instrument (utilità amministrativa): pure Python.

What the 2000-06 regions asked of the Sovvenzione Globale, measured from the records of its
calls: how long each step takes, what managing it costs per euro granted, how much of the
money is committed and paid (absorption), who applies and who is funded (success rates by
applicant type, size, territory and first-time applicants), why applications are not
admissible, and how many small organisations it reaches (the point of "piccoli sussidi").
The same measures of ordinary calls of the same region and period are computed alike, and
`compare` gives the differences with their uncertainty, not only the two levels.

No Django here: `reti.grants.analysis` reads the records into `Application` and `Budget` rows
and renders what this module returns. docs/grants-management.md states every definition;
in short:

- Durations are calendar days between two dates of a funded application: deadline → ranking
  (the final ranking's publication), → agreement (accepted by the beneficiary), → first
  payment, → closure. Each is summarised by its count, median, quartiles and extremes, with
  a 95 % interval for the median from a percentile bootstrap (2,000 resamples, a fixed seed,
  so the same data give the same interval; each resample drawn as multinomial counts over
  the distinct values, which keeps 10,000 grants well under a second).
- Absorption: granted ÷ budget (committed) and paid ÷ budget (paid), over the calls given.
  Management cost per euro: the intermediate body's recorded costs ÷ the amount granted.
- Rates are shares of applications with a 95 % Wilson interval; the difference of two rates
  has Newcombe's hybrid-score interval (method 10), which keeps its coverage with small
  counts where the textbook Wald interval does not.
- Success: funded ÷ submitted applications (withdrawn ones excluded); small organisations:
  micro and small size classes among the funded.
- The difference of two medians has a bootstrap interval resampling each group apart.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

Z95 = 1.959963984540054
BOOTSTRAP = 2000
SEED = 20000626  # fixed: the same records always give the same intervals
CHUNK = 250  # resamples drawn at once (bounds the memory: CHUNK x distinct values)

FUNDED = "funded"
OUTCOMES = ("funded", "eligible_not_funded", "below_threshold", "not_admissible", "withdrawn")
SMALL = ("micro", "small")
STAGES = ("ranking", "agreement", "first_payment", "closure")


@dataclass(frozen=True)
class Application:
    """One application of a call as the analysis sees it."""

    call: str
    instrument: str  # "global_grant" or "ordinary"
    region: str
    outcome: str  # one of OUTCOMES
    applicant_type: str = ""
    size_class: str = ""  # micro, small, medium, large ("" unknown)
    territory: str = ""
    first_time: bool = False
    inadmissibility_reason: str = ""
    requested: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    deadline: date | None = None
    ranking: date | None = None
    agreement: date | None = None
    first_payment: date | None = None
    closure: date | None = None


@dataclass(frozen=True)
class Budget:
    """A call's money and what managing it cost (the intermediate body's recorded costs)."""

    call: str
    instrument: str
    region: str
    budget: Decimal
    management_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class Spread:
    """A distribution of days: count, median with its 95 % interval, quartiles, extremes."""

    n: int
    median: float | None
    low: float | None
    high: float | None
    q1: float | None
    q3: float | None
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True)
class Rate:
    """A share with its 95 % Wilson interval (None when nothing was counted)."""

    count: int
    total: int
    share: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Difference:
    """A difference (first group minus second) with its 95 % interval."""

    estimate: float | None
    low: float | None
    high: float | None

    @property
    def clear(self) -> bool:
        """The interval excludes zero."""
        return self.low is not None and (self.low > 0 or self.high < 0)


# Durations


def days(applications: Iterable[Application], stage: str) -> list[int]:
    """Days from the deadline to `stage` for the funded applications that reached it."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; known: {', '.join(STAGES)}")
    out = []
    for a in applications:
        end = getattr(a, stage)
        if a.outcome == FUNDED and a.deadline is not None and end is not None:
            out.append((end - a.deadline).days)
    return out


def _quantile(ordered: Sequence[float], share: float) -> float:
    """Linear interpolation between closest ranks (as statistics.quantiles 'inclusive')."""
    position = share * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _bootstrap_medians(values: Sequence[float], rng) -> np.ndarray:
    """The medians of BOOTSTRAP resamples (with replacement, of the sample's size) of
    `values`, drawn as multinomial counts over the distinct values: the same distribution
    as resampling value by value (statistics.median of each resample: the mean of the two
    middle values when the size is even), in time proportional to the distinct values, not
    to the sample's size (10,000 durations take milliseconds, not minutes)."""
    distinct, counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    n = int(counts.sum())
    lower, upper = (n - 1) // 2, n // 2  # 0-based positions of the middle values
    medians = []
    for start in range(0, BOOTSTRAP, CHUNK):
        size = min(CHUNK, BOOTSTRAP - start)
        cumulative = np.cumsum(rng.multinomial(n, counts / n, size=size), axis=1)
        low = distinct[(cumulative > lower).argmax(axis=1)]
        high = distinct[(cumulative > upper).argmax(axis=1)]
        medians.append((low + high) / 2)
    return np.concatenate(medians)


def spread(values: Sequence[float]) -> Spread:
    """Count, median (with a bootstrap 95 % interval), quartiles and extremes of `values`."""
    if not values:
        return Spread(0, None, None, None, None, None, None, None)
    ordered = sorted(values)
    medians = sorted(_bootstrap_medians(ordered, np.random.default_rng(SEED)).tolist())
    return Spread(
        n=len(ordered),
        median=float(statistics.median(ordered)),
        low=float(_quantile(medians, 0.025)),
        high=float(_quantile(medians, 0.975)),
        q1=float(_quantile(ordered, 0.25)),
        q3=float(_quantile(ordered, 0.75)),
        minimum=float(ordered[0]),
        maximum=float(ordered[-1]),
    )


def median_difference(first: Sequence[float], second: Sequence[float]) -> Difference:
    """Median of `first` minus median of `second`, each group resampled apart."""
    if not first or not second:
        return Difference(None, None, None)
    rng = np.random.default_rng(SEED)
    draws = sorted((_bootstrap_medians(first, rng) - _bootstrap_medians(second, rng)).tolist())
    estimate = float(statistics.median(first) - statistics.median(second))
    return Difference(estimate, _quantile(draws, 0.025), _quantile(draws, 0.975))


# Rates


def wilson(count: int, total: int) -> Rate:
    """`count` of `total` with its 95 % Wilson score interval."""
    if total <= 0:
        return Rate(count, total, None, None, None)
    p = count / total
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = Z95 * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    # The bounds hold the share exactly (at 0 or 1 rounding would put it a hair outside).
    return Rate(count, total, p, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def rate_difference(first: Rate, second: Rate) -> Difference:
    """First share minus second, with Newcombe's hybrid-score interval (method 10)."""
    if first.share is None or second.share is None:
        return Difference(None, None, None)
    d = first.share - second.share
    low = d - math.sqrt((first.share - first.low) ** 2 + (second.high - second.share) ** 2)
    high = d + math.sqrt((first.high - first.share) ** 2 + (second.share - second.low) ** 2)
    return Difference(d, max(-1.0, low), min(1.0, high))


def submitted(applications: Iterable[Application]) -> list[Application]:
    """The applications that count for success: every outcome but withdrawn."""
    return [a for a in applications if a.outcome != "withdrawn"]


def success(applications: Iterable[Application]) -> Rate:
    counted = submitted(applications)
    return wilson(sum(a.outcome == FUNDED for a in counted), len(counted))


def success_by(applications: Iterable[Application], attribute: str) -> dict[str, Rate]:
    """Success rate for each value of `attribute` (applicant_type, size_class, territory,
    first_time), in the order of the values."""
    groups: dict[str, list[Application]] = {}
    for a in submitted(applications):
        groups.setdefault(str(getattr(a, attribute)), []).append(a)
    return {key: success(groups[key]) for key in sorted(groups)}


def small_share(applications: Iterable[Application]) -> Rate:
    """Micro and small organisations among the funded (unknown sizes count as not small)."""
    funded = [a for a in applications if a.outcome == FUNDED]
    return wilson(sum(a.size_class in SMALL for a in funded), len(funded))


def first_time_share(applications: Iterable[Application]) -> Rate:
    """First-time applicants among the funded."""
    funded = [a for a in applications if a.outcome == FUNDED]
    return wilson(sum(a.first_time for a in funded), len(funded))


def inadmissibility(applications: Iterable[Application]) -> list[tuple[str, int]]:
    """Reasons for inadmissibility, most frequent first ("" counted as unstated)."""
    counted = Counter(
        a.inadmissibility_reason for a in applications if a.outcome == "not_admissible"
    )
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


# Money


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


@dataclass(frozen=True)
class Money:
    budget: Decimal
    granted: Decimal
    paid: Decimal
    management_cost: Decimal

    @property
    def committed_share(self) -> Decimal | None:
        return self.granted / self.budget if self.budget else None

    @property
    def paid_share(self) -> Decimal | None:
        return self.paid / self.budget if self.budget else None

    @property
    def cost_per_euro(self) -> Decimal | None:
        """Management cost per euro granted."""
        return self.management_cost / self.granted if self.granted else None


def money(budgets: Iterable[Budget], applications: Iterable[Application]) -> Money:
    budgets = list(budgets)
    calls = {b.call for b in budgets}
    funded = [a for a in applications if a.call in calls]
    return Money(
        budget=_sum(b.budget for b in budgets),
        granted=_sum(a.granted for a in funded),
        paid=_sum(a.paid for a in funded),
        management_cost=_sum(b.management_cost for b in budgets),
    )


# The whole picture


@dataclass(frozen=True)
class Profile:
    """Every measure of one group of calls (an instrument in a region, say)."""

    calls: int
    applications: int
    durations: dict[str, Spread]
    money: Money
    success: Rate
    success_by: dict[str, dict[str, Rate]]
    small_share: Rate
    first_time_share: Rate
    inadmissibility: list[tuple[str, int]]


BY = ("applicant_type", "size_class", "territory", "first_time")


def profile(budgets: Iterable[Budget], applications: Iterable[Application]) -> Profile:
    budgets, applications = list(budgets), list(applications)
    return Profile(
        calls=len({b.call for b in budgets} | {a.call for a in applications}),
        applications=len(applications),
        durations={stage: spread(days(applications, stage)) for stage in STAGES},
        money=money(budgets, applications),
        success=success(applications),
        success_by={attribute: success_by(applications, attribute) for attribute in BY},
        small_share=small_share(applications),
        first_time_share=first_time_share(applications),
        inadmissibility=inadmissibility(applications),
    )


@dataclass(frozen=True)
class Comparison:
    """The global grant's calls against ordinary calls: first minus second."""

    durations: dict[str, Difference]
    success: Difference
    small_share: Difference
    first_time_share: Difference


def compare(first: Iterable[Application], second: Iterable[Application]) -> Comparison:
    first, second = list(first), list(second)
    return Comparison(
        durations={
            stage: median_difference(days(first, stage), days(second, stage)) for stage in STAGES
        },
        success=rate_difference(success(first), success(second)),
        small_share=rate_difference(small_share(first), small_share(second)),
        first_time_share=rate_difference(first_time_share(first), first_time_share(second)),
    )
