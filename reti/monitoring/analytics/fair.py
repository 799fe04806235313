"""Fair comparison of regions on a rate: a funnel plot with exact binomial control limits.

Each region is a point (n, events / n). The limits are the exact binomial quantiles around the
national rate p0 for every n: a region inside the 95% limits differs from the nation by no
more than chance; outside 99.8% it very probably differs. A small region is not judged on noise.
"""

from dataclasses import dataclass

import numpy as np

from .rates import RATES, rate_query
from .regions import region_names
from .snapshot import Snapshot

LEVELS = {"95": 0.95, "998": 0.998}


@dataclass(frozen=True)
class Funnel:
    rate_code: str
    p0: float
    points: list[dict]  # region, name, n, events, rate, band
    curve: list[dict]  # n, lo95, hi95, lo998, hi998


def limits(n: np.ndarray, p0: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper control limits of a proportion with denominator n (exact binomial)."""
    from scipy.stats import binom  # imported here: seconds to import, for this page only

    tail = (1 - level) / 2
    return binom.ppf(tail, n, p0) / n, binom.ppf(1 - tail, n, p0) / n


def band(n: int, events: int, p0: float) -> str:
    """Where a point falls: 'high_998', 'high_95', 'within', 'low_95' or 'low_998'.

    Outside means beyond the limit, i.e. a tail probability smaller than the level's.
    """
    from scipy.stats import binom

    for name in ("998", "95"):
        tail = (1 - LEVELS[name]) / 2
        if binom.sf(events - 1, n, p0) < tail:  # P(X >= events)
            return f"high_{name}"
        if binom.cdf(events, n, p0) < tail:  # P(X <= events)
            return f"low_{name}"
    return "within"


def funnel(snapshot: Snapshot, rate_code: str, filters: dict | None = None) -> Funnel:
    """The funnel plot of `rate_code` (a key of RATES) by region, every region included (the
    public one, public.public_funnel, is drawn from the published regions alone)."""
    rate = RATES[rate_code]
    rows = snapshot.rows(rate_query(rate, ("region",), filters))
    return funnel_of(rate_code, [(r["region"], r["events"], r["n"]) for r in rows])


def funnel_of(rate_code: str, counts: list[tuple[str, int, int]]) -> Funnel:
    """The funnel plot of the regions in `counts` ((region, events, n)): the reference rate p0,
    the points and the range of the limits all come from these regions and nothing else."""
    rows = [(region, events, n) for region, events, n in counts if n]
    names = region_names()
    total_n = sum(n for _, _, n in rows)
    p0 = sum(events for _, events, _ in rows) / total_n if total_n else 0.0
    points = [
        {
            "region": region,
            "name": names.get(region, region),
            "n": n,
            "events": events,
            "rate": events / n,
            "band": band(n, events, p0),
        }
        for region, events, n in rows
    ]
    top = max([n for _, _, n in rows], default=1)
    grid = np.unique(np.round(np.geomspace(1, max(top * 1.1, 10), 80)).astype(int))
    curve = {"n": grid}
    for name, level in LEVELS.items():
        curve[f"lo{name}"], curve[f"hi{name}"] = limits(grid, p0, level)
    rows_out = [
        {k: (int(v[i]) if k == "n" else float(v[i])) for k, v in curve.items()}
        for i in range(len(grid))
    ]
    return Funnel(rate_code, p0, points, rows_out)
