"""Hand-made snapshots for tests: a few records written as the snapshot's Parquet files."""

from datetime import date
from pathlib import Path

import duckdb

from reti.monitoring.synthetic import INTERVENTION_COLUMNS, PARTICIPANT_COLUMNS

PARTICIPANT_DEFAULTS = {
    "gender": "female",
    "age_at_entry": 35,
    "entry_date": date(2023, 1, 10),
    "exit_date": None,
    "status_at_entry": "unemployed",
    "long_term_unemployed": False,
    "inactive_not_in_education": False,
    "isced": 3,
    "synthetic": True,
}
INTERVENTION_DEFAULTS = {
    "code": None,
    "title": "Intervento di prova",
    "project_id": 1,
    "organisation_id": 1,
    "region_code": "09",
    "macro_area": "centro",
    "period_code": "2021-2027",
    "fund_code": "ESF+",
    "instrument": "ordinary_call",
    "start_date": date(2022, 1, 1),
    "end_date": date(2026, 12, 31),
    "budget": 100000,
    "synthetic": True,
}
LINK_TABLES = {
    "intervention_networks": "intervention_id BIGINT, network_id BIGINT",
    "intervention_target_groups": "intervention_id BIGINT, target_group VARCHAR",
    "indicator_targets": "intervention_id BIGINT, indicator_code VARCHAR, target DOUBLE",
    "entities": "entity_id BIGINT, intervention_id BIGINT, kind VARCHAR",
}


def participant(**values) -> dict:
    """A participant record: defaults, then `values` (booleans not given are false)."""
    record = {name: False for name, kind in PARTICIPANT_COLUMNS if kind == "BOOLEAN"}
    for name in record:
        if name.startswith(("leaving_", "followup_")):
            record[name] = None
    return record | PARTICIPANT_DEFAULTS | values


def write_records(
    directory: Path | str,
    participants: list[dict],
    interventions: list[dict] | None = None,
    **links: list[tuple],
) -> Path:
    """Write the snapshot's six files from dicts (participants, interventions) and tuples."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    interventions = interventions or [{"intervention_id": 1}]
    con = duckdb.connect()
    _table(
        con,
        "interventions",
        INTERVENTION_COLUMNS,
        [INTERVENTION_DEFAULTS | {"code": f"I{i['intervention_id']}"} | i for i in interventions],
    )
    columns = ", ".join(f"{name} {kind}" for name, kind in PARTICIPANT_COLUMNS)
    rows = [
        {"record_id": k + 1, "intervention_id": 1, "person_key": f"{k:064x}"} | participant(**p)
        for k, p in enumerate(participants)
    ]
    _table(con, "participants", columns, rows)
    for table, table_columns in LINK_TABLES.items():
        names = [c.split()[0] for c in table_columns.split(", ")]
        _table(
            con,
            table,
            table_columns,
            [dict(zip(names, r, strict=True)) for r in links.get(table, ())],
        )
    for table in ("interventions", "participants", *LINK_TABLES):
        con.execute(f"COPY {table} TO '{directory / table}.parquet' (FORMAT parquet)")
    con.close()
    return directory


def _table(con, table: str, columns: str, rows: list[dict]) -> None:
    names = [c.split()[0] for c in columns.split(", ")]
    con.execute(f"CREATE TABLE {table} ({columns})")
    if rows:
        unknown = set().union(*rows) - set(names)
        if unknown:
            raise ValueError(f"{table}: unknown columns {sorted(unknown)}")
        marks = ", ".join("?" * len(names))
        con.executemany(
            f"INSERT INTO {table} VALUES ({marks})", [[r.get(n) for n in names] for r in rows]
        )
