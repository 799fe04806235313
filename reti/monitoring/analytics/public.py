"""What the public sees: every output of a selection read from one disclosure control.

`selection` gathers the counts behind every public output of the snapshot (indicator tables,
homogeneity values, funnel plots; disclosure.Selection) and protects them together
(disclosure.protect: no hidden count can be worked out from any output or across outputs);
the functions below read their figures from it, and downloads and the API must do the same.

Without filters, the protected selection, the funnel plots, the homogeneity and the added
value come from the analyses the refresh computed (precomputed.py); anything else is computed
on demand and kept by `_memoised`, the one cache of the analytics, keyed by the snapshot's
version (a refresh makes every entry unreachable).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from .added_value import AddedValue, added_value
from .definitions import BY_CODE, ESF, ESF_PLUS, PARTICIPANT_INDICATORS
from .disclosure import (
    ALL_PERIODS,
    ITALY,
    TOTAL,
    Partition,
    Protected,
    Selection,
    indicator_key,
    protect,
    rate_key,
)
from .disclosure import GENDERS as GENDERS
from .engine import compute
from .fair import Funnel, funnel_of
from .homogeneity import Homogeneity, published_homogeneity
from .rates import RATES, participants_query, rate_query
from .regions import regions
from .snapshot import Snapshot
from .suppression import threshold_setting

STATUS_FAMILY = ("EECO01", "EECO02", "EECO04", "EECO05")
# What a reader knows by definition (disclosure.Selection): the statuses at entry split the
# participants of each period, and employment six months after leaving is a rate's numerator.
PARTITIONS = (
    Partition(ESF_PLUS, "EECO01", ("EECO02", "EECO04", "EECO05")),
    Partition(ESF, None, ("CO01", "CO03", "CO05")),
)
RATE_TIES = (("employed_6m", ESF_PLUS, "EECR05"), ("employed_6m", ESF, "CR06"))


def _filters_key(filters: dict | None) -> tuple:
    return tuple(
        sorted(
            (k, tuple(sorted(v)) if isinstance(v, list | tuple | set) else v)
            for k, v in (filters or {}).items()
            if v is not None
        )
    )


MEMO_SIZE = 32
_memo: OrderedDict = OrderedDict()
_memo_lock = threading.Lock()


def _memoised(snapshot: Snapshot, key: tuple, compute: Callable):
    """`compute()`, kept for the snapshot's files (directory and version) and `key`: the
    analytics' one cache (the least recently used of MEMO_SIZE entries goes first)."""
    full = (str(snapshot.directory), snapshot.version, *key)
    with _memo_lock:
        if full in _memo:
            _memo.move_to_end(full)
            return _memo[full]
    value = compute()
    with _memo_lock:
        _memo[full] = value
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return value


def _precomputed(snapshot: Snapshot, threshold: int, filters: dict | None):
    """The refresh's analyses when they answer this request (no filters, same threshold)."""
    if _filters_key(filters):
        return None
    from . import precomputed

    found = precomputed.load(snapshot)
    return found if found is not None and found.threshold == threshold else None


def computed_at(snapshot: Snapshot, threshold: int | None = None):
    """When the refresh computed the unfiltered analyses of `snapshot` (None: not yet)."""
    threshold = threshold_setting() if threshold is None else threshold
    found = _precomputed(snapshot, threshold, None)
    return found.computed_at if found else None


def selection(
    snapshot: Snapshot, threshold: int | None = None, filters: dict | None = None
) -> Protected:
    """Every public count of the snapshot (under `filters`) with the ones to hide."""
    threshold = threshold_setting() if threshold is None else threshold
    found = _precomputed(snapshot, threshold, filters)
    if found is not None:
        return found.protected
    key = ("selection", threshold, _filters_key(filters))
    return _memoised(snapshot, key, lambda: compute_selection(snapshot, threshold, filters))


def compute_selection(snapshot: Snapshot, threshold: int, filters: dict | None) -> Protected:
    """The protected selection, computed from the snapshot (no cache)."""
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    codes = [i.code for i in PARTICIPANT_INDICATORS]
    indicators = {}
    for row in compute(snapshot, ("region", "gender"), filters):
        for code in codes:
            if row[code]:
                key = (code, row["region"], row["gender"])
                indicators[key] = indicators.get(key, 0) + row[code]
    for code in codes:  # every indicator has its table, zeros included
        indicators.setdefault((code, regions()[0].code, GENDERS[0]), 0)
    participants = {
        (r["region"], r["period"]): r["participants"]
        for r in snapshot.rows(participants_query(("region", "period"), filters))
    }
    rates = {}
    for code, rate in RATES.items():
        for r in snapshot.rows(rate_query(rate, ("region", "period"), filters)):
            rates[(code, r["region"], r["period"])] = (r["events"], r["n"])
    present = {region for region, _ in participants} | {region for _, region, _ in rates}
    units = sorted({r.code for r in regions()} | present)
    periods = tuple(sorted({period for _, period in participants}))
    counts = Selection(
        regions=tuple(units),
        periods=periods,
        indicators=indicators,
        participants=participants,
        rates=rates,
        partitions=PARTITIONS,
        rate_ties=RATE_TIES,
    )
    return protect(counts, threshold)


def family(code: str) -> tuple[str, ...]:
    return STATUS_FAMILY if code in STATUS_FAMILY else (code,)


def indicator_table(
    snapshot: Snapshot, code: str, threshold: int | None = None, filters: dict | None = None
) -> list[dict]:
    """Rows (region code, name, one value per gender, total) with None where suppressed."""
    protected = selection(snapshot, threshold, filters)
    names = {r.code: r.name for r in regions()}
    out = []
    for region in [*protected.regions, ITALY]:
        row = {"region": region, "name": names.get(region, region), "italy": region == ITALY}
        for gender in [*GENDERS, TOTAL]:
            row[gender] = protected.count(indicator_key(code, region, gender))
        out.append(row)
    return out


def region_table(
    snapshot: Snapshot, region: str, threshold: int | None = None, filters: dict | None = None
) -> list[dict]:
    """Every indicator of `region` by gender (code, name, one value per gender, total), None
    where suppressed: the same cells as the indicator tables, from the same protection."""
    from .labels import indicator_name

    protected = selection(snapshot, threshold, filters)
    out = []
    for indicator in PARTICIPANT_INDICATORS:
        row = {"code": indicator.code, "name": indicator_name(indicator.code)}
        for gender in [*GENDERS, TOTAL]:
            row[gender] = protected.count(indicator_key(indicator.code, region, gender))
        out.append(row)
    return out


def public_funnel(
    snapshot: Snapshot, rate_code: str, threshold: int | None = None, filters: dict | None = None
) -> Funnel:
    """The funnel plot of the regions whose people and events are published: its national
    reference rate and the range of its limits come from those regions alone."""
    threshold = threshold_setting() if threshold is None else threshold
    found = _precomputed(snapshot, threshold, filters)
    if found is not None and rate_code in found.funnels:
        return found.funnels[rate_code]
    protected = selection(snapshot, threshold, filters)
    key = ("funnel", rate_code, threshold, _filters_key(filters))
    return _memoised(snapshot, key, lambda: funnel_from(protected, rate_code))


def funnel_from(protected: Protected, rate_code: str) -> Funnel:
    counts = []
    for region in protected.regions:
        keys = [rate_key(rate_code, part, region, ALL_PERIODS) for part in ("events", "n")]
        if protected.shown(*keys, rate_key(rate_code, "others", region, ALL_PERIODS)):
            events, n = (protected.values[k] for k in keys)
            if n:
                counts.append((region, events, n))
    return funnel_of(rate_code, counts)


def funnel_hidden(
    snapshot: Snapshot, rate_code: str, threshold: int | None = None, filters: dict | None = None
) -> list[str]:
    """The regions the public funnel plot leaves out because a count behind their point is
    hidden (regions without anyone in the rate's denominator are simply not plotted)."""
    protected = selection(snapshot, threshold, filters)
    hidden = []
    for region in protected.regions:
        keys = [
            rate_key(rate_code, part, region, ALL_PERIODS) for part in ("events", "n", "others")
        ]
        if all(k in protected.values for k in keys) and not protected.shown(*keys):
            hidden.append(region)
    return hidden


def public_homogeneity(
    snapshot: Snapshot, measure: str, threshold: int | None = None, filters: dict | None = None
) -> Homogeneity:
    """The homogeneity of `measure` over the published region values (homogeneity.py)."""
    threshold = threshold_setting() if threshold is None else threshold
    found = _precomputed(snapshot, threshold, filters)
    if found is not None and measure in found.homogeneity:
        return found.homogeneity[measure]
    protected = selection(snapshot, threshold, filters)
    key = ("homogeneity", measure, threshold, _filters_key(filters))
    return _memoised(snapshot, key, lambda: homogeneity_from(protected, measure))


def homogeneity_from(protected: Protected, measure: str) -> Homogeneity:
    return published_homogeneity(protected, measure)


def scoped_added_value(
    snapshot: Snapshot, instrument: str, readable: list[int] | None, compare: str = ""
) -> tuple[AddedValue, bool]:
    """The added value of `instrument` over the interventions `readable` (None: all), against
    all other instruments or only `compare`, and whether it is the refresh's (computed for
    every instrument against all others) rather than computed now."""
    from . import precomputed

    scope = precomputed.scope_key(snapshot, readable)
    found = precomputed.load(snapshot)
    if not compare and found is not None and (instrument, scope) in found.added_value:
        return found.added_value[(instrument, scope)], True
    filters = {} if scope is None else {"intervention": list(scope)}
    key = ("added_value", instrument, scope, compare)

    def compute() -> AddedValue:
        return added_value(snapshot, instrument, filters, compare)

    return _memoised(snapshot, key, compute), False


def indicator_choices() -> list[tuple[str, str]]:
    return [(c, f"{c} — {i.name_en}") for c, i in BY_CODE.items() if i.per_participant]
