"""`reti opencoesione import`: one programme's projects on one theme, from an extract of
OpenCoesione's project file, into the registry.

How it stays within a minute and a gigabyte for a million rows: the file is read as a
stream (the csv module, one row at a time); a row of another programme or theme is
skipped after two cells are compared, before anything is parsed; the chosen rows are
parsed, checked and written in batches of BATCH, with the registry's existing records for
the batch read in one query per table and new rows inserted through reti.lib.bulk
(executemany on SQLite, COPY on PostgreSQL).

How it stays correct: everything runs in one transaction. Every bad cell is reported with
its line (the header is line 1) and its column; after the first one nothing more is
written, the rest of the file is still checked, and the transaction is rolled back, so a
file with one bad cell changes nothing. Projects are matched by CUP: a project already in
the registry is updated only where the file says something else, so a second run of the
same file changes nothing (and says so). Organisations are matched by tax code.

The rows are written in bulk, without history rows: the audit entry of an import is its
ImportRun (who, when, which file, programme and theme, and the counts).
"""

import csv
import os
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from stdnum.it import codicefiscale

from reti.lib import bulk
from reti.registry import changes
from reti.registry.models import (
    Fund,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
    Territory,
)

from . import layout
from .models import CohesionRecord, ImportRun

BATCH = 5000
# Problems kept for the report; every one is counted.
KEPT_PROBLEMS = 1000
MAX_BUDGET = 10**12  # Project.budget has 14 digits, 2 after the point


class ImportRefused(Exception):
    """The file has bad cells: nothing was written. `report` says where."""

    def __init__(self, report):
        super().__init__(f"{report.problem_count} problemi")
        self.report = report


@dataclass
class Report:
    file_name: str
    programme: str
    theme: str
    rows_read: int = 0
    selected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    problems: list[layout.Problem] = field(default_factory=list)
    problem_count: int = 0
    synthetic: bool = False
    run: ImportRun | None = None

    def problem(self, problem: layout.Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(problem)


def _status(row: layout.Row) -> str:
    if row.end:
        return Project.Status.COMPLETED
    if row.start:
        return Project.Status.ACTIVE
    return Project.Status.PLANNED


class _Registry:
    """What the registry already holds that rows are matched against (read once)."""

    def __init__(self):
        self.territories = dict(
            Territory.objects.filter(
                level__in=[
                    Territory.Level.REGION,
                    Territory.Level.AUTONOMOUS_PROVINCE,
                    Territory.Level.PROVINCE,
                    Territory.Level.MUNICIPALITY,
                ]
            ).values_list("code", "pk")
        )
        self.periods = dict(ProgrammingPeriod.objects.values_list("code", "pk"))
        self.funds = dict(Fund.objects.values_list("code", "pk"))
        self.organisations: dict[str, int] = {}


def _check(row: layout.Row, known: _Registry, report: Report) -> bool:
    """Checks against the registry; False (and problems reported) when the row is bad."""
    before = report.problem_count

    def bad(column, message):
        report.problem(layout.Problem(row.line, column, message))

    for code in row.territories:
        if code not in known.territories:
            column = {2: "COD_REGIONE", 3: "COD_PROVINCIA"}.get(len(code), "COD_COMUNE")
            bad(column, f"territorio {code!r} non presente nel registro")
    if layout.CYCLES[row.cycle] not in known.periods:
        bad("OC_COD_CICLO", f"periodo {layout.CYCLES[row.cycle]} non presente nel registro")
    if row.fund and row.fund not in known.funds:
        bad("FONDO_COMUNITARIO", f"fondo {row.fund!r} non presente nel registro")
    if row.public_funding is not None and abs(row.public_funding) >= MAX_BUDGET:
        bad("FINANZ_TOTALE_PUBBLICO", "importo troppo grande")
    subjects = [("OC_CODFISC_BENEFICIARIO", s) for s in row.beneficiaries]
    if row.programmer:
        subjects.append(("OC_CODFISC_PROGRAMMATORE", row.programmer))
    for column, (tax_code, name) in subjects:
        if not codicefiscale.is_valid(tax_code):
            bad(column, f"codice fiscale non valido {tax_code!r}")
        if not name or len(name) > 300:
            bad(column.replace("CODFISC", "DENOM"), "denominazione mancante o troppo lunga")
    return report.problem_count == before


def _organisations(rows: list[layout.Row], known: _Registry, report: Report) -> None:
    """Make sure every subject of `rows` is an organisation; fill `known.organisations`."""
    wanted = {}
    for row in rows:
        for tax_code, name in [*row.beneficiaries, *([row.programmer] if row.programmer else [])]:
            if tax_code not in known.organisations:
                wanted.setdefault(tax_code, name)
    if not wanted:
        return
    found = Organisation.objects.filter(tax_code__in=list(wanted)).values_list("tax_code", "pk")
    known.organisations.update(found)
    new = [(code, name) for code, name in wanted.items() if code not in known.organisations]
    if not new:
        return
    first = bulk.reserve_ids(Organisation, len(new))
    table = bulk.Table(Organisation, ["id", "name_it", "tax_code", "kind", "synthetic"])
    synthetic = report.synthetic
    rows_out = []
    for offset, (code, name) in enumerate(new):
        kind = (
            Organisation.Kind.REGION
            if name.upper().startswith("REGIONE ")
            else Organisation.Kind.OTHER
        )
        rows_out.append((first + offset, name, code, kind, synthetic))
        known.organisations[code] = first + offset
    table.write(rows_out)
    report.organisations_created += len(new)


PROJECT_FIELDS = ("title_it", "status", "period_id", "fund_id", "budget", "start_date", "end_date")
RECORD_FIELDS = (
    "local_code", "programme_code", "programme_name", "theme_code", "cycle_code",
    "source_code", "summary", "public_funding", "commitments", "payments", "planned_end",
    "programmer_id",
)  # fmt: skip


def _wanted(row: layout.Row, known: _Registry) -> tuple[dict, dict, set, list]:
    project = {
        "title_it": row.title,
        "status": _status(row),
        "period_id": known.periods[layout.CYCLES[row.cycle]],
        "fund_id": known.funds.get(row.fund) if row.fund else None,
        "budget": row.public_funding,
        "start_date": row.start,
        "end_date": row.end or row.planned_end,
    }
    record = {
        "local_code": row.local_code,
        "programme_code": row.programme_code,
        "programme_name": row.programme_name,
        "theme_code": row.theme,
        "cycle_code": row.cycle,
        "source_code": row.source,
        "summary": row.summary,
        "public_funding": row.public_funding,
        "commitments": row.commitments,
        "payments": row.payments,
        "planned_end": row.planned_end,
        "programmer_id": known.organisations[row.programmer[0]] if row.programmer else None,
    }
    territories = {known.territories[code] for code in row.territories}
    subjects = []
    for tax_code, _name in row.beneficiaries:
        org = known.organisations[tax_code]
        if org not in subjects:
            subjects.append(org)
    return project, record, territories, subjects


def _db(value):
    return bulk.date_value(value) if hasattr(value, "isoformat") else value


class _Writer:
    def __init__(self, report: Report):
        self.report = report
        self.through = CohesionRecord.territories.through
        self.projects = bulk.Table(Project, ["id", "cup", "kind", "synthetic", *PROJECT_FIELDS])
        self.records = bulk.Table(CohesionRecord, ["id", "project_id", *RECORD_FIELDS])
        self.places = bulk.Table(self.through, ["cohesionrecord_id", "territory_id"])
        self.partners = bulk.Table(
            Partnership, ["project_id", "organisation_id", "role", "synthetic"]
        )

    def write(self, rows: list[layout.Row], known: _Registry) -> None:
        report = self.report
        _organisations(rows, known, report)
        cups = [row.cup for row in rows]
        existing = {
            values["cup"]: values
            for values in Project.objects.filter(cup__in=cups).values("id", "cup", *PROJECT_FIELDS)
        }
        ids = [values["id"] for values in existing.values()]
        records = {
            values["project_id"]: values
            for values in CohesionRecord.objects.filter(project_id__in=ids).values(
                "id", "project_id", *RECORD_FIELDS
            )
        }
        places: dict[int, set] = {}
        for record_id, territory_id in self.through.objects.filter(
            cohesionrecord_id__in=[r["id"] for r in records.values()]
        ).values_list("cohesionrecord_id", "territory_id"):
            places.setdefault(record_id, set()).add(territory_id)
        partners: dict[int, dict[int, str]] = {}
        for project_id, org_id, role in Partnership.objects.filter(project_id__in=ids).values_list(
            "project_id", "organisation_id", "role"
        ):
            partners.setdefault(project_id, {})[org_id] = role

        new_rows = [row for row in rows if row.cup not in existing]
        first_project = bulk.reserve_ids(Project, len(new_rows)) if new_rows else 0
        first_record = bulk.reserve_ids(CohesionRecord, len(rows)) if rows else 0
        synthetic = report.synthetic
        out_projects, out_records, out_places, out_partners = [], [], [], []
        project_updates, record_updates = [], []
        next_project, next_record = first_project, first_record
        for row in rows:
            project, record, territories, subjects = _wanted(row, known)
            found = existing.get(row.cup)
            changed = record_changed = False
            if found is None:
                project_id, next_project = next_project, next_project + 1
                out_projects.append(
                    (
                        project_id,
                        row.cup,
                        Project.Kind.OPERATION,
                        synthetic,
                        *(_db(project[f]) for f in PROJECT_FIELDS),
                    )
                )
                report.created += 1
                stored_record, stored_places, stored_partners = None, set(), {}
            else:
                project_id = found["id"]
                stored_record = records.get(project_id)
                stored_places = places.get(stored_record["id"], set()) if stored_record else set()
                stored_partners = partners.get(project_id, {})
                changed = any(found[f] != project[f] for f in PROJECT_FIELDS)
                if changed:
                    project_updates.append((project_id, project))
            if stored_record is None:
                record_id, next_record = next_record, next_record + 1
                out_records.append(
                    (record_id, project_id, *(_db(record[f]) for f in RECORD_FIELDS))
                )
            else:
                record_id = stored_record["id"]
                if any(stored_record[f] != record[f] for f in RECORD_FIELDS):
                    record_updates.append((record_id, record))
                    record_changed = True
            missing_places = territories - stored_places
            out_places += [(record_id, territory) for territory in sorted(missing_places)]
            has_lead = "lead" in stored_partners.values()
            missing_partners = []
            for org in subjects:
                if org in stored_partners:
                    continue
                role = "partner" if has_lead else "lead"
                has_lead = True
                missing_partners.append((project_id, org, role, synthetic))
            out_partners += missing_partners
            if found is not None:
                touched = (
                    changed
                    or record_changed
                    or stored_record is None
                    or missing_places
                    or missing_partners
                )
                if touched:
                    report.updated += 1
                else:
                    report.unchanged += 1
        self.projects.write(out_projects)
        self.records.write(out_records)
        self.places.write(out_places)
        self.partners.write(out_partners)
        now = timezone.now()
        for project_id, values in project_updates:
            Project.objects.filter(pk=project_id).update(**values, updated_at=now)
        for record_id, values in record_updates:
            CohesionRecord.objects.filter(pk=record_id).update(**values)


def _cells(header: list[str], values: list[str]) -> dict[str, str]:
    return dict(zip(header, values, strict=True))


def read(
    path,
    programme: str,
    theme: str,
    *,
    user=None,
    encoding: str = "utf-8-sig",
    synthetic: bool = False,
    batch: int = BATCH,
) -> Report:
    """Import the projects of `programme` on `theme` from the file at `path`.

    Returns the report of a completed import; raises ImportRefused (nothing written) when
    the file has bad cells, naming each one's line and column."""
    report = Report(os.path.basename(str(path)), programme.strip(), theme.strip())
    report.synthetic = synthetic
    with (
        bulk.bulk_cache(),
        transaction.atomic(),
        open(path, newline="", encoding=encoding, errors="strict") as file,
    ):
        _read(file, report, batch)
        if report.problem_count:
            transaction.set_rollback(True)
            raise ImportRefused(report)
        report.run = ImportRun.objects.create(
            file_name=report.file_name[:300],
            programme_code=report.programme[:60],
            theme_code=report.theme[:2],
            rows_read=report.rows_read,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            organisations_created=report.organisations_created,
            run_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if report.created or report.updated or report.organisations_created:
            transaction.on_commit(changes.bump)
    return report


def _read(file, report: Report, batch: int) -> None:
    reader = csv.reader(file, delimiter=layout.DELIMITER)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        report.problem(layout.Problem(1, "-", "file vuoto"))
        return
    except UnicodeDecodeError as error:
        report.problem(layout.Problem(1, "-", f"il file non è nella codifica attesa ({error})"))
        return
    for name in layout.missing_columns(header):
        report.problem(layout.Problem(1, name, "colonna mancante"))
    if report.problem_count:
        return
    width = len(header)
    programme_at = header.index("OC_CODICE_PROGRAMMA")
    theme_at = header.index("OC_COD_TEMA_SINTETICO")
    programme, theme = report.programme, report.theme
    if theme not in layout.THEMES:
        report.problem(layout.Problem(0, "--theme", f"tema sconosciuto {theme!r}"))
        return
    known = _Registry()
    writer = _Writer(report)
    pending: list[layout.Row] = []
    seen_cups: dict[str, int] = {}
    line = 1
    try:
        for values in reader:
            line = reader.line_num
            report.rows_read += 1
            if len(values) != width:
                if len(values) > max(programme_at, theme_at) and (
                    values[programme_at].strip() != programme or values[theme_at].strip() != theme
                ):
                    continue
                report.problem(layout.Problem(line, "-", f"{len(values)} campi invece di {width}"))
                continue
            if values[programme_at].strip() != programme or values[theme_at].strip() != theme:
                continue
            report.selected += 1
            row, problems = layout.parse(line, _cells(header, values))
            for problem in problems:
                report.problem(problem)
            if row is None or not _check(row, known, report):
                continue
            if row.cup in seen_cups:
                report.problem(
                    layout.Problem(line, "CUP", f"CUP già alla riga {seen_cups[row.cup]}")
                )
                continue
            seen_cups[row.cup] = line
            if report.problem_count:
                continue  # still checking, no longer writing
            pending.append(row)
            if len(pending) >= batch:
                writer.write(pending, known)
                pending = []
    except UnicodeDecodeError as error:
        report.problem(layout.Problem(line + 1, "-", f"codifica non valida ({error.reason})"))
    except csv.Error as error:
        report.problem(layout.Problem(line + 1, "-", f"CSV non leggibile ({error})"))
    if pending and not report.problem_count:
        writer.write(pending, known)
    if report.selected == 0 and not report.problem_count:
        report.problem(
            layout.Problem(
                0, "--programme", f"nessun progetto del programma {programme} sul tema {theme}"
            )
        )
    connection.ensure_connection()
