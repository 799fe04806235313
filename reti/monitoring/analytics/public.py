"""What the public sees: every output of a selection read from one disclosure control.

`selection` gathers the counts behind every public output of the snapshot (indicator tables,
homogeneity values, funnel plots; disclosure.Selection), protects them together
(disclosure.protect: no hidden count can be worked out from any output or across outputs)
and caches the result per snapshot version, threshold and filters; the functions below read
their figures from it, and downloads and the API must do the same.
"""

import functools

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


def selection(
    snapshot: Snapshot, threshold: int | None = None, filters: dict | None = None
) -> Protected:
    """Every public count of the snapshot (under `filters`) with the ones to hide."""
    threshold = threshold_setting() if threshold is None else threshold
    return _selection(snapshot, snapshot.version, threshold, _filters_key(filters))


@functools.lru_cache(maxsize=16)
def _selection(snapshot, version, threshold, filters_key) -> Protected:
    filters = {k: list(v) if isinstance(v, tuple) else v for k, v in filters_key}
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


def public_funnel(
    snapshot: Snapshot, rate_code: str, threshold: int | None = None, filters: dict | None = None
) -> Funnel:
    """The funnel plot of the regions whose people and events are published: its national
    reference rate and the range of its limits come from those regions alone."""
    protected = selection(snapshot, threshold, filters)
    counts = []
    for region in protected.regions:
        keys = [rate_key(rate_code, part, region, ALL_PERIODS) for part in ("events", "n")]
        if protected.shown(*keys, rate_key(rate_code, "others", region, ALL_PERIODS)):
            events, n = (protected.values[k] for k in keys)
            if n:
                counts.append((region, events, n))
    return funnel_of(rate_code, counts)


def public_homogeneity(
    snapshot: Snapshot, measure: str, threshold: int | None = None, filters: dict | None = None
) -> Homogeneity:
    """The homogeneity of `measure` over the published region values (homogeneity.py)."""
    return published_homogeneity(selection(snapshot, threshold, filters), measure)


def indicator_choices() -> list[tuple[str, str]]:
    return [(c, f"{c} — {i.name_en}") for c, i in BY_CODE.items() if i.per_participant]
