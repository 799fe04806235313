"""Disclosure control: the one gate every public number of the monitoring goes through.

The participants behind these figures include people in penal execution and victims of
trafficking: a published figure must never let a reader work out how many people a small
group holds. The rules follow what ISTAT and Eurostat apply to their own tables of persons:
a minimum frequency (threshold) for every published count, primary suppression of the counts
under it, secondary (complementary) suppression of further counts until no hidden count can be
computed back from what is published, and rounding of derived figures to the precision shown.

What counts as published. A *selection* (the snapshot, with the same filters for every output)
is published through several outputs at once: the indicator tables (each indicator by region
and gender with region totals and Italy), the homogeneity values (participants per 10,000
residents and rates by region and period, with indices over regions) and the funnel plot (each
rate's events and people by region). Every count any of them shows, or lets a reader compute,
is a cell of one system (`system`), and every identity a reader knows between cells is a
relation of it (`parts` add up to `whole`):

- a table's row and column totals and Italy's row;
- the statuses at entry: EECO02 + EECO04 + EECO05 = EECO01 (ESF+), and CO01 + CO03 + CO05 =
  the participants of 2014-2020 (ESF);
- a region's participants in a period are the same people as its EECO01 total (2021-2027) or
  its CO01 + CO03 + CO05 total (2014-2020): the indicator page and the homogeneity page
  publish one number twice; a value per 10,000 residents IS a count, since the resident
  population is public (value x residents / 10,000 gives it back exactly);
- a rate publishes its numerator and its denominator (conservatively: a ratio and one of its
  counts give the other): events + others = people, by region and period, and the periods add
  up to the region's figures of the funnel plot; employment six months after leaving is EECR05
  (2021-2027) and CR06 (2014-2020) of the same region.

An identity enters only where it holds in the data (records of unknown gender or status break
it, and a reader cannot use an identity that does not hold).

The rules, applied once to the whole system (`protect`):

1. (primary) every count from 1 to threshold - 1 is hidden; zeros are published (a zero is
   not a small group of people, and hiding zeros would hide most of a sparse table);
2. (secondary) further counts are hidden until no hidden count can be worked out: first so
   that no relation has exactly one hidden term (recovery by one subtraction), then an audit
   solves, for each hidden count, its smallest and largest value given every published count
   and relation (linear programs, counts >= 0) and hides more wherever the two coincide.
   Complementary cells are chosen small, non-zero and not totals first, to lose little.
3. (derived figures) a value or rate of a region is published only when every count behind it
   is; indices over regions (mean, coefficient of variation, Gini, Theil, max/min, the number
   of regions) are computed from the published values alone, as published (rounded), and the
   page names the regions included; a national reference (the funnel's rate) is computed from
   the published regions alone. Derived figures add nothing to what the counts publish, so the
   audit of the counts covers them.
4. (rounding) derived figures are published, in pages and chart data alike, to the precision
   the page shows (`DECIMALS`): nothing carries more digits than the table beside it.

The system splits into groups that share no relation (`components`); each is solved alone.
The result (`Protected`) is computed once per snapshot version, threshold and selection by the
caller (public.selection) and read by every output: pages, chart data, downloads and the API.

Nothing here reads settings or the database: the threshold is passed in
(suppression.threshold_setting reads `MONITORING_SUPPRESSION_THRESHOLD`).
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

Key = Hashable
Relation = tuple[list, Hashable]

GENDERS = ("female", "male", "non_binary")
TOTAL = "total"
ITALY = "IT"
ALL_PERIODS = "*"
RATE_PARTS = ("events", "others", "n")
# Decimals of each published derived figure (pages and chart data alike).
DECIMALS = {
    "value": 2,  # a region's value (per 10,000 residents, or a rate in per cent)
    "percent": 1,  # a rate in per cent on the funnel plot, and its national reference
    "limit": 2,  # the funnel's control limits, in per cent
    "mean": 2,
    "cv": 3,
    "gini": 3,
    "theil": 4,
    "ratio": 2,
}


def rounded(value: float | None, kind: str) -> float | None:
    """`value` to the decimals DECIMALS gives `kind` (None stays None)."""
    return None if value is None else round(float(value), DECIMALS[kind])


def indicator_key(code: str, region: str, gender: str) -> tuple:
    return ("indicator", code, region, gender)


def participants_key(region: str, period: str) -> tuple:
    return ("participants", region, period)


def rate_key(rate: str, part: str, region: str, period: str) -> tuple:
    """A rate's count: part is 'events', 'others' (people without the event) or 'n'."""
    return ("rate", rate, part, region, period)


@dataclass(frozen=True)
class Partition:
    """In `period`, the indicators `parts` split the participants (each counted in one part);
    `whole`, when not None, is the indicator of all of them (e.g. EECO01)."""

    period: str
    whole: str | None
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    """The counts behind every public output of one selection.

    `indicators`: (code, region, gender) -> count, genders of GENDERS; `participants`:
    (region, period) -> count; `rates`: (rate, region, period) -> (events, n). `regions`:
    the units of the tables (Italy apart). `partitions` and `rate_ties` ((rate, period,
    indicator code): the rate's events in the period are the indicator's region total) are the
    identities a reader knows.
    """

    regions: tuple[str, ...]
    periods: tuple[str, ...]
    indicators: Mapping[tuple[str, str, str], int]
    participants: Mapping[tuple[str, str], int]
    rates: Mapping[tuple[str, str, str], tuple[int, int]]
    partitions: tuple[Partition, ...] = ()
    rate_ties: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Protected:
    """A selection's counts and the ones hidden: what every output of it may publish."""

    values: Mapping[Key, int]
    hidden: frozenset
    threshold: int
    regions: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    rate_codes: tuple[str, ...] = ()

    def count(self, key: Key) -> int | None:
        """The published count, or None when it is hidden (or not part of the selection)."""
        if key in self.hidden or key not in self.values:
            return None
        return self.values[key]

    def shown(self, *keys: Key) -> bool:
        return all(k in self.values and k not in self.hidden for k in keys)


def system(selection: Selection) -> tuple[dict, list]:
    """Every count the outputs of `selection` publish, and the relations between them."""
    values: dict = {}
    relations: list = []
    regions = list(selection.regions)
    rows = [*regions, ITALY]
    columns = [*GENDERS, TOTAL]
    codes = sorted({c for c, _, _ in selection.indicators})
    for code in codes:
        for region in rows:
            for gender in columns:
                values[indicator_key(code, region, gender)] = 0
    for (code, region, gender), n in selection.indicators.items():
        if gender not in GENDERS or region not in selection.regions:
            continue
        for r in (region, ITALY):
            for g in (gender, TOTAL):
                values[indicator_key(code, r, g)] += n
    for code in codes:
        for r in rows:
            relations.append(
                ([indicator_key(code, r, g) for g in GENDERS], indicator_key(code, r, TOTAL))
            )
        for g in columns:
            relations.append(
                ([indicator_key(code, r, g) for r in regions], indicator_key(code, ITALY, g))
            )
    for region in regions:
        for period in selection.periods:
            values[participants_key(region, period)] = selection.participants.get(
                (region, period), 0
            )
    for partition in selection.partitions:
        _partition_relations(values, relations, partition, regions)
    rate_codes = sorted({r for r, _, _ in selection.rates})
    for rate in rate_codes:
        for region in regions:
            for period in selection.periods:
                events, n = selection.rates.get((rate, region, period), (0, 0))
                for part, v in zip(RATE_PARTS, (events, n - events, n), strict=True):
                    values[rate_key(rate, part, region, period)] = v
            for part in RATE_PARTS:
                values[rate_key(rate, part, region, ALL_PERIODS)] = sum(
                    values[rate_key(rate, part, region, p)] for p in selection.periods
                )
                relations.append(
                    (
                        [rate_key(rate, part, region, p) for p in selection.periods],
                        rate_key(rate, part, region, ALL_PERIODS),
                    )
                )
            for period in [*selection.periods, ALL_PERIODS]:
                relations.append(
                    (
                        [rate_key(rate, p, region, period) for p in ("events", "others")],
                        rate_key(rate, "n", region, period),
                    )
                )
    for rate, period, code in selection.rate_ties:
        if rate not in rate_codes or code not in codes or period not in selection.periods:
            continue
        for region in regions:
            events = rate_key(rate, "events", region, period)
            total = indicator_key(code, region, TOTAL)
            if values[events] == values[total]:
                relations.append(([events], total))
    return values, relations


def _partition_relations(values, relations, partition: Partition, regions) -> None:
    codes = [partition.whole, *partition.parts] if partition.whole else list(partition.parts)
    if any(indicator_key(c, ITALY, TOTAL) not in values for c in codes):
        return
    for region in [*regions, ITALY]:
        for gender in [*GENDERS, TOTAL]:
            parts = [indicator_key(c, region, gender) for c in partition.parts]
            if partition.whole:
                whole = indicator_key(partition.whole, region, gender)
                if sum(values[k] for k in parts) == values[whole]:
                    relations.append((parts, whole))
    for region in regions:
        people = participants_key(region, partition.period)
        if people not in values:
            continue
        if partition.whole:
            total = indicator_key(partition.whole, region, TOTAL)
            if values[total] == values[people]:
                relations.append(([total], people))
        else:
            parts = [indicator_key(c, region, TOTAL) for c in partition.parts]
            if sum(values[k] for k in parts) == values[people]:
                relations.append((parts, people))


def protect(selection: Selection, threshold: int) -> Protected:
    """The counts of `selection` with the ones to hide (rules 1 and 2 of the module)."""
    values, relations = system(selection)
    hidden: set = set()
    for cells, lines in components(values, relations):
        hidden |= suppress({k: values[k] for k in cells}, lines, threshold)
    return Protected(
        values,
        frozenset(hidden),
        threshold,
        tuple(selection.regions),
        tuple(selection.periods),
        tuple(sorted({c for c, _, _ in selection.indicators})),
        tuple(sorted({r for r, _, _ in selection.rates})),
    )


def components(values: Mapping, relations: list) -> list[tuple[set, list]]:
    """The cells grouped by the relations that tie them, each group with its relations."""
    parent = {k: k for k in values}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for parts, whole in relations:
        root = find(whole)
        for k in parts:
            other = find(k)
            if other != root:
                parent[other] = root
    cells = defaultdict(set)
    for k in values:
        cells[find(k)].add(k)
    lines = defaultdict(list)
    for parts, whole in relations:
        lines[find(whole)].append((parts, whole))
    return [(cells[root], lines[root]) for root in cells]


def suppress(
    values: dict[Key, int],
    relations: list[Relation],
    threshold: int,
    *,
    also: Iterable[Key] = frozenset(),
) -> set[Key]:
    """The keys of `values` to hide so no count under `threshold` can be read or recovered.

    `also`: cells hidden for another reason, protected in the same way.
    """
    hidden = {k for k, v in values.items() if 0 < v < threshold} | set(also)
    if not hidden:
        return hidden
    lines = [[*parts, whole] for parts, whole in relations]
    wholes = {whole for _, whole in relations}

    def cost(key):
        return (values[key] == 0, key in wholes, values[key])

    while True:
        _close_lines(lines, hidden, cost)
        if not _close_audit(values, relations, lines, hidden, cost):
            return hidden


def _close_lines(lines, hidden, cost) -> bool:
    """Hide one more term in every relation that has exactly one hidden term."""
    changed = False
    progress = True
    while progress:
        progress = False
        for line in lines:
            shown = [k for k in line if k not in hidden]
            if len(line) - len(shown) == 1 and shown:
                hidden.add(min(shown, key=cost))
                progress = changed = True
    return changed


def _close_audit(values, relations, lines, hidden, cost) -> bool:
    """Hide more next to every hidden count whose value the published figures pin down."""
    changed = False
    for key in recoverable(values, relations, hidden):
        for line in lines:
            shown = [k for k in line if k not in hidden]
            if key in line and shown:
                hidden.add(min(shown, key=cost))
                changed = True
                break
    return changed


def bounds(
    values: dict[Key, int], relations: list[tuple[list[Key], Key]], hidden: set[Key]
) -> dict[Key, tuple[float, float]]:
    """What a reader can infer about each hidden count: its smallest and largest value."""
    out = {}
    for cells, a_eq, b_eq in _systems(values, relations, hidden):
        for n, k in enumerate(cells):
            out[k] = _range(a_eq, b_eq, n)
    for k in hidden:
        out.setdefault(k, (0.0, float("inf")))
    return out


def recoverable(values, relations, hidden) -> list[Key]:
    """Hidden counts whose exact value follows from the published counts and relations.

    The same answer as bounds() (range narrower than one half), faster: a count that can move
    along a direction that keeps every relation and every count >= 0 (from the true values,
    in the null space of the relations) by half a unit or more is not recoverable, with no
    linear program; one outside that null space is recoverable by linear algebra alone; only
    the remaining counts are solved for.
    """
    found = []
    for cells, a_eq, b_eq in _systems(values, relations, hidden):
        x = np.array([values[k] for k in cells], dtype=float)
        if len(a_eq):
            _, sigma, vt = np.linalg.svd(a_eq)
            rank = int((sigma > 1e-9 * max(sigma.max(), 1.0)).sum())
            null = vt[rank:].T  # columns: a basis of the directions the relations allow
        else:
            null = np.eye(len(cells))
        for n, k in enumerate(cells):
            d = null @ null[n]
            if d[n] < 1e-9:
                found.append(k)
                continue
            up = min((x[j] / -d[j] for j in np.flatnonzero(d < -1e-12)), default=np.inf)
            down = min((x[j] / d[j] for j in np.flatnonzero(d > 1e-12)), default=np.inf)
            if (up + down) * d[n] >= 0.5:
                continue
            low, high = _range(a_eq, b_eq, n)
            if high - low < 0.5:
                found.append(k)
    return found


def _systems(values, relations, hidden):
    """Per group of hidden counts tied by relations: the counts, and the relations as
    equations A x = b over them (the published counts moved to b)."""
    touching = defaultdict(list)
    for number, (parts, whole) in enumerate(relations):
        for k in (*parts, whole):
            if k in hidden:
                touching[k].append(number)
    for component in _components(relations, hidden):
        cells = sorted(component, key=repr)
        index = {k: n for n, k in enumerate(cells)}
        numbers = sorted({number for k in cells for number in touching[k]})
        rows, rhs = [], []
        for number in numbers:
            parts, whole = relations[number]
            row = np.zeros(len(cells))
            known = 0.0
            for k, sign in [*((k, 1.0) for k in parts), (whole, -1.0)]:
                if k in index:
                    row[index[k]] += sign
                else:
                    known += sign * values[k]
            rows.append(row)
            rhs.append(-known)
        a_eq = np.array(rows).reshape(len(rows), len(cells))
        yield cells, a_eq, np.array(rhs)


def _range(a_eq, b_eq, n) -> tuple[float, float]:
    """Smallest and largest value of count n given A x = b, x >= 0 (two linear programs)."""
    from scipy.optimize import linprog  # imported here: seconds to import, used by few pages

    c = np.zeros(a_eq.shape[1])
    c[n] = 1.0
    if not len(a_eq):
        return 0.0, float("inf")
    low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    top = float("inf") if high.status == 3 else -high.fun
    return low.fun, top


def _components(relations, hidden) -> list[set[Key]]:
    """Hidden cells grouped by the relations that tie them (each group is solved alone)."""
    parent = {k: k for k in hidden}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for parts, whole in relations:
        inside = [k for k in (*parts, whole) if k in parent]
        for k in inside[1:]:
            parent[find(k)] = find(inside[0])
    groups = defaultdict(set)
    for k in hidden:
        groups[find(k)].add(k)
    return list(groups.values())


def grid_relations(
    rows: list, columns: list, *, row_total, column_total, tables: list
) -> list[tuple[list, tuple]]:
    """Relations of tables keyed (table, row, column) with a total row and a total column."""
    relations = []
    for t in tables:
        for r in [*rows, row_total]:
            relations.append(([(t, r, c) for c in columns], (t, r, column_total)))
        for c in [*columns, column_total]:
            relations.append(([(t, r, c) for r in rows], (t, row_total, c)))
    return relations


def common_units(published: Mapping[str, Iterable[str]]) -> list[str]:
    """The units (regions) published in every period of `published` (period -> units): a
    comparison across periods is made on the same units, not on whichever each period shows."""
    sets = [set(units) for units in published.values()]
    return sorted(set.intersection(*sets)) if sets else []
