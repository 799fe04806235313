"""Every query the analytics engine runs, by name: the one list that another engine must run.

A Snapshot defines VIEWS over the six Parquet files (`records`, `prepared`) and keeps one
table counted from them (`cube`, engine.cube_sql); every figure the pages, the API, the
downloads and the refresh show then comes from a query built by one of QUERIES, each
returning an engine.Query whose `name` is its key here (the rates one each: `rate:<code>`).
Nothing else reaches the snapshot: tests record what a refresh and the pages execute and
find only these names.

`examples(values)` gives every query with its default breakdown, with each dimension in the
breakdown, each dimension as a filter (`values`: a few values of each dimension found in the
data), an empty filter (matches nothing) and several filters at once: what the Spark parity
test (tests/test_analytics_spark.py) runs on both engines and compares, and what a region runs
on its own cluster (docs/monitoring-analytics.md, "On Spark or Trino").
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .added_value import _counts_query, _data_query
from .definitions import PREPARED_SQL, RECORDS_SQL
from .engine import DIMENSIONS, Query, cube_query, cube_sql, entity_query, participant_query
from .engine import targets_query as _targets_query
from .precomputed import interventions_query, owners_query
from .rates import RATES, participants_query, rate_query


def views() -> dict[str, str]:
    """The views a snapshot defines over its files, and the cube's query, in creation order."""
    return {"records": RECORDS_SQL, "prepared": PREPARED_SQL, "cube": cube_sql()}


@dataclass(frozen=True)
class Builder:
    build: Callable[..., Query]
    by: tuple[str, ...] | None = None  # the default breakdown; None: the query takes none
    filters: bool = False  # whether the query takes the dimensions' filters


def _rate(code: str) -> Builder:
    return Builder(lambda by, filters: rate_query(RATES[code], by, filters), ("region",), True)


QUERIES: dict[str, Builder] = {
    "participants_one_pass": Builder(participant_query, ("region", "gender"), True),
    "indicators": Builder(cube_query, ("region", "gender"), True),
    "entities": Builder(entity_query, ("region",), True),
    "targets": Builder(_targets_query, ("region",), True),
    "participants": Builder(participants_query, ("region", "period"), True),
    **{f"rate:{code}": _rate(code) for code in RATES},
    "added_value_counts": Builder(_counts_query, None, True),
    "added_value_records": Builder(_data_query, None, True),
    "intervention_owners": Builder(owners_query),
    "intervention_ids": Builder(interventions_query),
}


def build(name: str, by: tuple[str, ...] | None = None, filters: dict | None = None) -> Query:
    """Query `name` with breakdown `by` (its default when None) and `filters`."""
    builder = QUERIES[name]
    arguments = []
    if builder.by is not None:
        arguments.append(builder.by if by is None else by)
    if builder.filters:
        arguments.append(filters)
    query = builder.build(*arguments)
    assert query.name == name, (query.name, name)
    return query


def examples(values: dict[str, list]) -> Iterator[Query]:
    """Every query of QUERIES in the variants the module docstring lists, each text and
    parameters once. `values`: for each dimension of engine.DIMENSIONS, values to filter on
    (two or more where there are; the first is used alone)."""
    dimensions = list(DIMENSIONS)
    seen = set()
    for name, builder in QUERIES.items():
        variants = [(None, None)]
        if builder.filters:
            # Two dimensions as the breakdown and two others as filters at a time: every
            # dimension is both, in five queries.
            for k in range(0, len(dimensions), 2):
                pair = tuple(dimensions[(k + j) % len(dimensions)] for j in (0, 1))
                others = [dimensions[(k + j) % len(dimensions)] for j in (3, 4)]
                by = pair if builder.by is not None else None
                variants.append((by, {other: values[other][:1] for other in others}))
            variants.append((None, {"region": []}))
            several = {"period": values["period"][:2], "target_group": values["target_group"][:1]}
            several["instrument"] = values["instrument"][:3]
            variants.append((None, several))
        elif builder.by is not None:
            variants += [((dimension,), None) for dimension in dimensions]
        for by, filters in variants:
            query = build(name, by, filters)
            key = (query.sql, tuple(query.params))
            if key not in seen:
                seen.add(key)
                yield query


def sample_values(snapshot) -> dict[str, list]:
    """A few values of each dimension found in the snapshot, to filter on."""
    sources = {
        "network": "SELECT DISTINCT network_id FROM intervention_networks",
        "target_group": "SELECT DISTINCT target_group FROM intervention_target_groups",
        "gender": "SELECT DISTINCT gender FROM participants WHERE gender IS NOT NULL",
    }
    values = {}
    for name, expression in DIMENSIONS.items():
        column = expression.split(".")[1]
        sql = sources.get(name, f"SELECT DISTINCT {column} FROM prepared")
        found = sorted(row[0] for row in snapshot.cursor().execute(sql).fetchall())
        values[name] = found[:3]
    return values
