"""Statistical disclosure control for public aggregates: primary and complementary suppression.

A table is a set of named counts (cells) and the additive relations a reader knows between
them (`parts` add up to `whole`: a row to its total, the regions to Italy, the statuses at entry
to the total of participants). Suppression hides

1. (primary) every count from 1 to threshold - 1 (zeros are published: a zero is not a small
   group of people, and hiding zeros would hide most of a sparse table);
2. (complementary) further counts until no hidden count can be worked out from the published
   ones: first so that no relation has exactly one hidden term (recovery by one subtraction),
   then, since several relations together can still pin a count, an audit that solves for the
   smallest and largest value each hidden count can take given every published count and
   relation (linear programs, counts >= 0) and hides more wherever the two coincide.

Complementary cells are chosen small, non-zero and not totals first, to lose little.
"""

from collections import defaultdict
from collections.abc import Hashable

import numpy as np
from django.conf import settings

Key = Hashable


def threshold_setting() -> int:
    return int(getattr(settings, "MONITORING_SUPPRESSION_THRESHOLD", 5))


def suppress(
    values: dict[Key, int],
    relations: list[tuple[list[Key], Key]],
    threshold: int | None = None,
    *,
    also: set[Key] = frozenset(),
) -> set[Key]:
    """The keys of `values` to hide so no count under `threshold` can be read or recovered.

    `also`: cells hidden for another reason, protected in the same way.
    """
    threshold = threshold_setting() if threshold is None else threshold
    hidden = {k for k, v in values.items() if 0 < v < threshold} | set(also)
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
    from scipy.optimize import linprog  # imported here: seconds to import, used by few pages

    out = {}
    for component in _components(relations, hidden):
        cells = sorted(component, key=repr)
        index = {k: n for n, k in enumerate(cells)}
        rows, rhs = [], []
        for parts, whole in relations:
            terms = [(k, 1.0) for k in parts] + [(whole, -1.0)]
            if not any(k in index for k, _ in terms):
                continue
            row = np.zeros(len(cells))
            known = 0.0
            for k, sign in terms:
                if k in index:
                    row[index[k]] += sign
                else:
                    known += sign * values[k]
            rows.append(row)
            rhs.append(-known)
        a_eq, b_eq = np.array(rows), np.array(rhs)
        for k, n in index.items():
            c = np.zeros(len(cells))
            c[n] = 1.0
            low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            top = float("inf") if high.status == 3 else -high.fun
            out[k] = (low.fun, top)
    for k in hidden:
        out.setdefault(k, (0.0, float("inf")))
    return out


def recoverable(values, relations, hidden) -> list[Key]:
    """Hidden counts whose exact value follows from the published counts and relations."""
    return [k for k, (low, high) in bounds(values, relations, hidden).items() if high - low < 0.5]


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
