"""The analytics snapshot: Parquet files of MONITORING-SCHEMA.md, written with DuckDB.

`refresh()` streams each table out of the database as CSV text into a temporary file (COPY on
PostgreSQL; on SQLite each row formatted by SQLite itself with printf, so Python handles one
string per row, never a Python object per value), has DuckDB read that file with the schema's
types into a DuckDB database file beside the snapshot (DuckDB spills to disk past its memory
limit) and COPYs each table to `<table>.parquet` under a temporary name, renamed into place
once written: a reader sees the old file or the new one, never half of one. Then the
analytics' cube is counted from the new files and kept beside them
(analytics.snapshot.persist_cube), so a reader opening the snapshot reads a small file
instead of counting every record, and so are the analyses the pages show
(analytics.precomputed.persist). No DuckDB extension is needed. Called after each accepted
import, after `reti demo` and after erasing a person.
"""

import os
import uuid
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import connection

from reti.lib.tabular import staging
from reti.registry.models import Territory

from .models import (
    IndicatorTarget,
    Intervention,
    InterventionTargetGroup,
    ParticipantRecord,
    SupportedEntity,
)

CHUNK = 50_000  # rows fetched at a time on SQLite
BOOLEAN_FLAGS = (
    "long_term_unemployed",
    "inactive_not_in_education",
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural_area",
    "penal_execution",
    "trafficking_victim",
    "other_disadvantaged",
)
RESULTS = (
    "leaving_job_searching",
    "leaving_in_education",
    "leaving_qualification",
    "leaving_employed",
)
# (snapshot column, database column, DuckDB type)
PARTICIPANTS = (
    ("record_id", "id", "BIGINT"),
    ("intervention_id", "intervention_id", "BIGINT"),
    ("person_key", "person_key", "VARCHAR"),
    ("gender", "gender", "VARCHAR"),
    ("age_at_entry", "age_at_entry", "SMALLINT"),
    ("entry_date", "entry_date", "DATE"),
    ("exit_date", "exit_date", "DATE"),
    ("status_at_entry", "status_at_entry", "VARCHAR"),
    *((name, name, "BOOLEAN") for name in BOOLEAN_FLAGS[:2]),
    ("isced", "isced", "SMALLINT"),
    *((name, name, "BOOLEAN") for name in BOOLEAN_FLAGS[2:]),
    ("leaving_observed_on", "leaving_observed_on", "DATE"),
    *((name, name, "BOOLEAN") for name in RESULTS),
    ("followup_observed_on", "followup_observed_on", "DATE"),
    ("followup_employed", "followup_employed", "BOOLEAN"),
    ("followup_improved", "followup_improved", "BOOLEAN"),
    ("synthetic", "synthetic", "BOOLEAN"),
)
INTERVENTIONS = (
    ("intervention_id", "BIGINT"),
    ("code", "VARCHAR"),
    ("title", "VARCHAR"),
    ("project_id", "BIGINT"),
    ("organisation_id", "BIGINT"),
    ("region_code", "VARCHAR"),
    ("macro_area", "VARCHAR"),
    ("period_code", "VARCHAR"),
    ("fund_code", "VARCHAR"),
    ("instrument", "VARCHAR"),
    ("start_date", "DATE"),
    ("end_date", "DATE"),
    ("budget", "DECIMAL(14,2)"),
    ("synthetic", "BOOLEAN"),
)
NULL = "\\N"  # how the small tables' CSV files spell NULL (their text may be empty)
# The registry's Italian fund codes, as the snapshot names them (others pass through).
FUND_CODES = {"FSE": "ESF", "FSE+": "ESF+"}
# NUTS 1 codes of ISTAT's five macro-areas, grouped as the analyses compare them.
MACRO_AREAS = {
    "ITC": "nord",
    "ITH": "nord",
    "ITI": "centro",
    "ITF": "mezzogiorno",
    "ITG": "mezzogiorno",
}


def snapshot_dir() -> Path:
    path = Path(settings.MONITORING_SNAPSHOT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _macro_areas() -> dict[int, str]:
    """Region or autonomous province id -> nord / centro / mezzogiorno."""
    parents = dict(
        Territory.objects.filter(
            level__in=("region", "autonomous_province", "macro_area")
        ).values_list("pk", "parent_id")
    )
    codes = dict(Territory.objects.filter(level="macro_area").values_list("pk", "code"))
    result = {}
    for pk in parents:
        node, hops = pk, 0
        while node is not None and node not in codes and hops < 4:
            node, hops = parents.get(node), hops + 1
        if node in codes:
            result[pk] = MACRO_AREAS.get(codes[node], "")
    return result


class _Writer:
    """One DuckDB database file for one refresh; each table copied to Parquet, then renamed."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.db_path = directory / f".refresh-{self.token}.duckdb"
        self.db = duckdb.connect(str(self.db_path))
        self.db.execute("SET memory_limit = '512MB'")
        self.db.execute("SET preserve_insertion_order = false")
        self.written: list[tuple[Path, Path]] = []

    def table(self, name: str, columns) -> None:
        spec = ", ".join(f"{column} {kind}" for column, kind in columns)
        self.db.execute(f"CREATE TABLE {name} ({spec})")

    def insert(self, name: str, columns, rows) -> None:
        """Insert rows of Python values (small tables): through a CSV file DuckDB reads."""
        path = self.directory / f".{name}-{self.token}.csv"
        try:
            staging.write_plain(path, rows, null=NULL)
            self.load_csv(name, columns, path, nullstr=NULL)
        finally:
            path.unlink(missing_ok=True)

    def load_csv(self, name: str, columns, path: Path, nullstr: str = "") -> None:
        """Append a headerless CSV file to table `name`, read with the columns' types."""
        if path.stat().st_size == 0:
            return
        types = ", ".join(f"'{column}': '{kind}'" for column, kind in columns)
        names = ", ".join(column for column, _kind in columns)
        self.db.execute(
            f"INSERT INTO {name} SELECT {names} FROM read_csv('{path}', header = false,"
            f" delim = ',', quote = '\"', escape = '\"', auto_detect = false,"
            f" columns = {{{types}}}, nullstr = ?)",
            [nullstr],
        )

    def copy(self, name: str) -> None:
        final = self.directory / f"{name}.parquet"
        tmp = self.directory / f".{name}-{self.token}.parquet"
        self.db.execute(f"COPY {name} TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
        self.written.append((tmp, final))

    def close(self, commit: bool) -> None:
        self.db.close()
        for tmp, final in self.written:
            if commit:
                tmp.replace(final)
            else:
                tmp.unlink(missing_ok=True)
        for leftover in self.directory.glob(f".refresh-{self.token}.duckdb*"):
            leftover.unlink(missing_ok=True)


def _participants(writer: _Writer) -> int:
    columns = [(name, kind) for name, _db, kind in PARTICIPANTS]
    writer.table("participants", columns)
    path = writer.directory / f".participants-{writer.token}.csv"
    try:
        if connection.vendor == "postgresql":
            _participants_by_copy(path)
        else:
            _participants_by_printf(path)
        writer.load_csv("participants", columns, path)
    finally:
        path.unlink(missing_ok=True)
    writer.copy("participants")
    return writer.db.execute("SELECT count(*) FROM participants").fetchone()[0]


def _select() -> str:
    select = ", ".join(db for _n, db, _k in PARTICIPANTS)
    return f"SELECT {select} FROM {ParticipantRecord._meta.db_table} ORDER BY id"


def _participants_by_copy(path: Path) -> None:
    """PostgreSQL: COPY the rows out as CSV (no Python object per value, memory flat)."""
    with connection.cursor() as cursor, open(path, "wb") as out:
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        with raw.copy(f"COPY ({_select()}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                out.write(block)


def _participants_by_printf(path: Path) -> None:
    """SQLite: each row formatted as one CSV line by SQLite's printf (NULL prints empty).

    Every participant column is a number, a date, a boolean (0/1), a code or a hex key, so
    none holds a comma, a quote or a line break and no quoting is needed.
    """
    pattern = ",".join("%s" for _ in PARTICIPANTS)
    columns = ", ".join(db for _n, db, _k in PARTICIPANTS)
    query = (
        f"SELECT printf('{pattern}', {columns}) FROM {ParticipantRecord._meta.db_table} ORDER BY id"
    )
    with connection.cursor() as cursor, open(path, "w", encoding="ascii") as out:
        cursor.execute(query)
        while rows := cursor.fetchmany(CHUNK):
            out.write("\n".join(line for (line,) in rows))
            out.write("\n")


def _interventions(writer: _Writer) -> int:
    macro = _macro_areas()
    rows = [
        (
            i.pk,
            i.code,
            i.title_it,
            i.project_id,
            i.organisation_id,
            i.region.code,
            macro.get(i.region_id, ""),
            i.period.code,
            FUND_CODES.get(i.fund.code, i.fund.code) if i.fund_id else None,
            i.instrument,
            i.start_date,
            i.end_date,
            None if i.budget is None else float(i.budget),
            i.synthetic,
        )
        for i in Intervention.objects.select_related("region", "period", "fund").order_by("pk")
    ]
    writer.table("interventions", INTERVENTIONS)
    writer.insert("interventions", INTERVENTIONS, rows)
    writer.copy("interventions")
    return len(rows)


def _small_table(writer: _Writer, name: str, columns, rows) -> None:
    writer.table(name, columns)
    writer.insert(name, columns, list(rows))
    writer.copy(name)


def refresh(*, analyses: bool = True) -> dict[str, int]:
    """Write every snapshot file from the database; returns the rows written per table.

    `analyses=False` leaves the precomputed analyses to the caller (the demo queues them for
    the background worker: tasks.compute_analyses); the pages compute on demand meanwhile.
    """
    directory = snapshot_dir()
    writer = _Writer(directory)
    committed = False
    try:
        counts = {"participants": _participants(writer), "interventions": _interventions(writer)}
        networks = Intervention.objects.filter(project__networks__isnull=False).values_list(
            "pk", "project__networks"
        )
        _small_table(
            writer,
            "intervention_networks",
            (("intervention_id", "BIGINT"), ("network_id", "BIGINT")),
            networks,
        )
        _small_table(
            writer,
            "intervention_target_groups",
            (("intervention_id", "BIGINT"), ("target_group", "VARCHAR")),
            InterventionTargetGroup.objects.values_list("intervention_id", "group"),
        )
        _small_table(
            writer,
            "indicator_targets",
            (("intervention_id", "BIGINT"), ("indicator_code", "VARCHAR"), ("target", "DOUBLE")),
            (
                (i, c, float(t))
                for i, c, t in IndicatorTarget.objects.values_list(
                    "intervention_id", "indicator__code", "target"
                )
            ),
        )
        _small_table(
            writer,
            "entities",
            (("entity_id", "BIGINT"), ("intervention_id", "BIGINT"), ("kind", "VARCHAR")),
            SupportedEntity.objects.values_list("pk", "intervention_id", "kind"),
        )
        committed = True
    finally:
        writer.close(commit=committed)
    # The analytics' cube, counted once here rather than by every reader that opens the files,
    # then the analyses the pages show (protected selection, funnels, homogeneity, added value).
    from .analytics import precomputed
    from .analytics.snapshot import persist_cube

    persist_cube(directory)
    if analyses:
        precomputed.persist(directory)
    return counts
