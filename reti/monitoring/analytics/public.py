"""What the public sees: aggregates with small counts suppressed (suppression.py).

An indicator is published as a table of regions by gender with the region totals and Italy's
row. Indicators a reader can add up are protected together: the statuses at entry of ESF+
(EECO02 + EECO04 + EECO05 = EECO01), so that no page lets a hidden count be worked out from
another page. Results are cached per snapshot version and threshold.
"""

import functools

from .definitions import BY_CODE
from .engine import compute
from .fair import Funnel, funnel
from .regions import regions
from .snapshot import Snapshot
from .suppression import grid_relations, suppress, threshold_setting

GENDERS = ("female", "male", "non_binary")
TOTAL = "total"
ITALY = "IT"
STATUS_FAMILY = ("EECO01", "EECO02", "EECO04", "EECO05")


def family(code: str) -> tuple[str, ...]:
    return STATUS_FAMILY if code in STATUS_FAMILY else (code,)


def indicator_table(snapshot: Snapshot, code: str, threshold: int | None = None) -> list[dict]:
    """Rows (region code, name, one value per gender, total) with None where suppressed."""
    threshold = threshold_setting() if threshold is None else threshold
    return _indicator_table(snapshot, snapshot.version, family(code), code, threshold)


@functools.lru_cache(maxsize=64)
def _indicator_table(snapshot, version, codes, code, threshold):
    rows = compute(snapshot, ("region", "gender"))
    units = [r.code for r in regions()]
    present = sorted({r["region"] for r in rows} | set(units))
    values = {}
    for c in codes:
        for region in [*present, ITALY]:
            for gender in [*GENDERS, TOTAL]:
                values[(c, region, gender)] = 0
        for r in rows:
            gender = r["gender"] if r["gender"] in GENDERS else None
            if gender:
                for key in ((c, r["region"], gender), (c, r["region"], TOTAL)):
                    values[key] += r[c]
                for key in ((c, ITALY, gender), (c, ITALY, TOTAL)):
                    values[key] += r[c]
    relations = grid_relations(
        present, list(GENDERS), row_total=ITALY, column_total=TOTAL, tables=list(codes)
    )
    if len(codes) > 1:
        whole, *parts = codes
        for region in [*present, ITALY]:
            for gender in [*GENDERS, TOTAL]:
                relations.append(([(p, region, gender) for p in parts], (whole, region, gender)))
    hidden = suppress(values, relations, threshold)
    names = {r.code: r.name for r in regions()}
    out = []
    for region in [*present, ITALY]:
        row = {"region": region, "name": names.get(region, region), "italy": region == ITALY}
        for gender in [*GENDERS, TOTAL]:
            key = (code, region, gender)
            row[gender] = None if key in hidden else values[key]
        out.append(row)
    return out


def public_funnel(snapshot: Snapshot, rate_code: str, threshold: int | None = None) -> Funnel:
    """The funnel plot without the regions whose people or events are too few to show."""
    threshold = threshold_setting() if threshold is None else threshold
    return _public_funnel(snapshot, snapshot.version, rate_code, threshold)


@functools.lru_cache(maxsize=16)
def _public_funnel(snapshot, version, rate_code, threshold):
    plot = funnel(snapshot, rate_code)
    values, relations = {}, []
    for p in plot.points:
        values |= {
            (p["region"], "events"): p["events"],
            (p["region"], "others"): p["n"] - p["events"],
            (p["region"], "n"): p["n"],
        }
        relations.append(([(p["region"], "events"), (p["region"], "others")], (p["region"], "n")))
    hidden = suppress(values, relations, threshold)
    points = [
        p
        for p in plot.points
        if not {(p["region"], "events"), (p["region"], "n"), (p["region"], "others")} & hidden
    ]
    return Funnel(plot.rate_code, plot.p0, points, plot.curve)


def indicator_choices() -> list[tuple[str, str]]:
    return [(c, f"{c} — {i.name_en}") for c, i in BY_CODE.items() if i.per_participant]
