"""The indicator engine: every common indicator, by any breakdown, in one aggregate query.

The queries read the snapshot's tables by name (interventions, entities, ...) and the prepared
view of participants (definitions.PREPARED_SQL, materialised once per snapshot here), so the
same text runs on DuckDB over the Parquet files here and, transpiled by sqlglot, on Spark or
Trino over the same files with `prepared` defined as a view. Filters are bound parameters
(`?`), never pasted into the text.
"""

from dataclasses import dataclass, field

from .definitions import ENTITY_INDICATORS, PARTICIPANT_INDICATORS, Indicator, participant_sql
from .snapshot import Snapshot

# Breakdown name -> SQL expression. network and target_group come through link tables.
DIMENSIONS = {
    "region": "p.region_code",
    "macro_area": "p.macro_area",
    "period": "p.period_code",
    "instrument": "p.instrument",
    "intervention": "p.intervention_id",
    "project": "p.project_id",
    "network": "n.network_id",
    "target_group": "tg.target_group",
    "gender": "p.gender",
}
LINKS = {
    "network": "JOIN intervention_networks n ON n.intervention_id = p.intervention_id",
    "target_group": "JOIN intervention_target_groups tg ON tg.intervention_id = p.intervention_id",
}
# Filters on linked dimensions test membership, so a record is never counted twice.
LINK_FILTERS = {
    "network": "EXISTS (SELECT 1 FROM intervention_networks fn"
    " WHERE fn.intervention_id = p.intervention_id AND fn.network_id IN ({}))",
    "target_group": "EXISTS (SELECT 1 FROM intervention_target_groups ft"
    " WHERE ft.intervention_id = p.intervention_id AND ft.target_group IN ({}))",
}


class UnknownBreakdown(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    """A query's text, its bound parameters, and its name in registry.QUERIES."""

    sql: str
    params: list = field(default_factory=list)
    name: str = ""


def _check(names) -> None:
    unknown = [name for name in names if name not in DIMENSIONS]
    if unknown:
        raise UnknownBreakdown(f"unknown breakdown or filter: {', '.join(unknown)}")


def _where(filters: dict | None, *, entities: bool = False) -> tuple[str, list]:
    """WHERE clause and parameters for {dimension: [values]} (an empty list matches nothing)."""
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    _check(filters)
    clauses, params = [], []
    for name, values in filters.items():
        values = list(values) if isinstance(values, list | tuple | set) else [values]
        if not values:
            clauses.append("1 = 0")
            continue
        marks = ", ".join("?" * len(values))
        if name in LINK_FILTERS:
            clauses.append(LINK_FILTERS[name].format(marks))
        elif name == "gender" and entities:
            continue  # entities have no gender
        else:
            clauses.append(f"{DIMENSIONS[name]} IN ({marks})")
        params.extend(values)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def participant_query(
    by: tuple[str, ...] = ("region", "gender"),
    filters: dict | None = None,
    indicators: tuple[Indicator, ...] = PARTICIPANT_INDICATORS,
) -> Query:
    """One pass over participants: a column per indicator, a row per breakdown group."""
    _check(by)
    keys = [f"{DIMENSIONS[name]} AS {name}" for name in by]
    sums = [f'{participant_sql(ind)} AS "{ind.code}"' for ind in indicators]
    joins = " ".join(LINKS[name] for name in by if name in LINKS)
    where, params = _where(filters)
    group = f" GROUP BY {', '.join(DIMENSIONS[name] for name in by)}" if by else ""
    order = f" ORDER BY {', '.join(DIMENSIONS[name] for name in by)}" if by else ""
    sql = f"SELECT {', '.join([*keys, *sums])} FROM prepared p {joins}{where}{group}{order}"
    return Query(" ".join(sql.split()), params, "participants_one_pass")


def entity_query(by: tuple[str, ...] = ("region",), filters: dict | None = None) -> Query:
    """The entity indicators (no gender breakdown: entities are not people)."""
    by = tuple(name for name in by if name != "gender")
    _check(by)
    keys = [f"{DIMENSIONS[name]} AS {name}" for name in by]
    sums = [f'{_entity_sql(ind)} AS "{ind.code}"' for ind in ENTITY_INDICATORS]
    joins = " ".join(LINKS[name] for name in by if name in LINKS)
    where, params = _where(filters, entities=True)
    group = f" GROUP BY {', '.join(DIMENSIONS[name] for name in by)}" if by else ""
    order = f" ORDER BY {', '.join(DIMENSIONS[name] for name in by)}" if by else ""
    sql = (
        # The intervention is aliased p so the breakdowns read the same as over participants.
        f"SELECT {', '.join([*keys, *sums])} FROM entities e"
        f" JOIN interventions p ON p.intervention_id = e.intervention_id {joins}"
        f"{where}{group}{order}"
    )
    return Query(" ".join(sql.split()), params, "entities")


def _entity_sql(indicator: Indicator) -> str:
    """An entity aggregate restricted to its period: the CASE moves inside the aggregate."""
    period = f"p.period_code = '{indicator.period}'"
    return indicator.condition.replace("CASE WHEN ", f"CASE WHEN {period} AND ", 1)


CUBE_COLUMNS = (
    "intervention_id",
    "region_code",
    "macro_area",
    "period_code",
    "instrument",
    "project_id",
    "gender",
)


def _count(condition: str) -> str:
    return f"COUNT_IF(COALESCE({condition}, FALSE))"


def cube_counts() -> dict[str, str]:
    """Cube column -> count over records (alias p): every participant indicator's condition
    (without its period: an intervention belongs to one period, applied to the few groups
    once counted, see cube_sql), the participants, and each rate's denominator and events
    (rates.RATES)."""
    from .rates import RATES  # rates builds its queries with this module

    counts = {"participants": "COUNT(*)"}
    counts |= {ind.code: _count(ind.condition) for ind in PARTICIPANT_INDICATORS}
    for rate in RATES.values():
        counts[f"{rate.code}__n"] = _count(rate.denominator)
        counts[f"{rate.code}__events"] = _count(f"({rate.denominator}) AND {rate.numerator}")
    return counts


def cube_sql() -> str:
    """Every participant indicator by intervention and gender: the cube any breakdown sums.

    One pass over the records (definitions.RECORDS_SQL, a view over participants.parquet),
    grouped by intervention and gender only; the intervention's columns are joined to the
    few thousand groups afterwards. Every breakdown and filter is a column of the
    intervention or the gender, and counts add up, so summing the cube gives exactly what one
    pass over the prepared records would.
    """
    counts = cube_counts()
    sums = ", ".join(f'{sql} AS "{name}"' for name, sql in counts.items())
    keys = ", ".join(f"i.{name}" for name in CUBE_COLUMNS if name not in ("gender",))
    # Each indicator's period is applied here, once per group, so that summing the cube is a
    # plain SUM per column: a dashboard's query then takes half the time to plan.
    periods = {ind.code: ind.period for ind in PARTICIPANT_INDICATORS}
    # Every column named (no `* EXCLUDE/REPLACE`, which Spark and Trino do not read).
    columns = ", ".join(
        f'CASE WHEN i.period_code = \'{periods[name]}\' THEN c."{name}" ELSE 0 END AS "{name}"'
        if name in periods
        else f'c."{name}" AS "{name}"'
        for name in counts
    )
    return (
        f"WITH counts AS (SELECT p.intervention_id, p.gender, {sums} FROM records p"
        " GROUP BY p.intervention_id, p.gender)"
        f" SELECT {keys}, c.gender, {columns}"
        " FROM counts c JOIN interventions i ON i.intervention_id = c.intervention_id"
    )


def cube_query(
    by: tuple[str, ...] = ("region", "gender"),
    filters: dict | None = None,
    indicators: tuple[Indicator, ...] = PARTICIPANT_INDICATORS,
) -> Query:
    """The same result as participant_query, summed from the cube (alias p)."""
    sums = [f'SUM(p."{ind.code}") AS "{ind.code}"' for ind in indicators]
    return cube_sums(sums, by, filters, name="indicators")


def cube_sums(
    sums: list[str], by: tuple[str, ...], filters: dict | None, having: str = "", *, name: str
) -> Query:
    """SELECT the breakdown keys and `sums` (aggregates over cube columns) from the cube."""
    _check(by)
    keys = [f"{DIMENSIONS[name]} AS {name}" for name in by]
    joins = " ".join(LINKS[name] for name in by if name in LINKS)
    where, params = _where(filters)
    group = f" GROUP BY {', '.join(DIMENSIONS[name] for name in by)}" if by else ""
    order = f" ORDER BY {', '.join(DIMENSIONS[name] for name in by)}" if by else ""
    having = f" HAVING {having}" if having else ""
    sql = f"SELECT {', '.join([*keys, *sums])} FROM cube p {joins}{where}{group}{having}{order}"
    return Query(" ".join(sql.split()), params, name)


def compute(
    snapshot: Snapshot,
    by: tuple[str, ...] = ("region", "gender"),
    filters: dict | None = None,
    *,
    one_pass: bool = False,
) -> list[dict]:
    """All participant indicators by `by`, one dict per group (breakdown keys + codes).

    From the snapshot's cube (milliseconds), or with `one_pass` straight from the records.
    """
    if one_pass:
        return snapshot.rows(participant_query(by, filters))
    rows = snapshot.rows(cube_query(by, filters))
    codes = [ind.code for ind in PARTICIPANT_INDICATORS]
    for row in rows:  # SUM over integers comes back as a wider integer type or None
        for code in codes:
            row[code] = int(row[code] or 0)
    return rows


def gender_table(snapshot: Snapshot, filters: dict | None, genders: tuple[str, ...]) -> list[dict]:
    """Every participant indicator by gender under `filters`, unsuppressed (the dashboard):
    code, the count of each of `genders` in order, and their total."""
    by_gender = {r["gender"]: r for r in compute(snapshot, ("gender",), filters)}
    rows = []
    for ind in PARTICIPANT_INDICATORS:
        values = [by_gender.get(g, {}).get(ind.code, 0) for g in genders]
        rows.append({"code": ind.code, "values": values, "total": sum(values)})
    return rows


def compute_entities(snapshot: Snapshot, by=("region",), filters=None) -> list[dict]:
    return snapshot.rows(entity_query(by, filters))


def targets_query(by: tuple[str, ...] = ("region",), filters: dict | None = None) -> Query:
    """Targets summed by `by` and indicator code (no gender: targets are set per intervention)."""
    by = tuple(name for name in by if name != "gender")
    _check(by)
    keys = [f"{DIMENSIONS[name]} AS {name}" for name in by]
    joins = " ".join(LINKS[name] for name in by if name in LINKS)
    where, params = _where(filters, entities=True)
    columns = [*(DIMENSIONS[name] for name in by), "t.indicator_code"]
    sql = (
        f"SELECT {', '.join([*keys, 't.indicator_code AS code', 'SUM(t.target) AS target'])}"
        f" FROM indicator_targets t JOIN interventions p ON p.intervention_id = t.intervention_id"
        f" {joins}{where} GROUP BY {', '.join(columns)} ORDER BY {', '.join(columns)}"
    )
    return Query(" ".join(sql.split()), params, "targets")


def targets_against_achievements(
    snapshot: Snapshot,
    by: tuple[str, ...] = ("region",),
    filters: dict | None = None,
    computed: list[dict] | None = None,
) -> list[dict]:
    """Each target with what was achieved for the same group and code, and the share reached.

    `computed`: compute(snapshot, by, filters) when the caller has it already (the dashboard
    draws it); the entities are counted only when a target is about entities."""
    by = tuple(name for name in by if name != "gender")
    targets = snapshot.rows(targets_query(by, filters))
    if computed is None:
        computed = compute(snapshot, by, filters)
    achieved = {tuple(row[k] for k in by): row for row in computed}
    entity_codes = {indicator.code for indicator in ENTITY_INDICATORS}
    achieved_entities = (
        {tuple(row[k] for k in by): row for row in compute_entities(snapshot, by, filters)}
        if any(row["code"] in entity_codes for row in targets)
        else {}
    )
    out = []
    for row in targets:
        key = tuple(row[k] for k in by)
        source = achieved.get(key, {}) | achieved_entities.get(key, {})
        value = source.get(row["code"])
        target = row["target"]
        out.append(
            {
                **{k: row[k] for k in by},
                "code": row["code"],
                "target": target,
                "achieved": value or 0,
                "share": (value or 0) / target if target else None,
            }
        )
    return out
