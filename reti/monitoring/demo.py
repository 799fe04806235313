"""Synthetic demo data of monitoring, called by `reti demo` after the registry's.

Interventions across the 21 regions and autonomous provinces, owned by the registry's region
organisations where they exist (else by synthetic organisations of the demo), with target
groups, indicator targets and supported entities; participants drawn by the analytics'
vectorised generator (reti.monitoring.synthetic, with a planted Sovvenzione Globale effect)
and written in bulk (executemany on SQLite, COPY on PostgreSQL). Everything is marked
synthetic; a run first removes the previous synthetic data (`purge`), and ends by
rewriting the analytics snapshot and queueing its precomputed analyses for the background
worker (tasks.compute_analyses). No real person is behind any row.
"""

import time
from contextlib import nullcontext

import numpy as np
import pandas as pd
from django.core.management.base import CommandError
from django.db import connection, transaction

from reti.lib.bulk import Table, background_writes, bulk_cache
from reti.registry.demo.indexes import set_aside
from reti.registry.models import Fund, Organisation, ProgrammingPeriod, Project, Territory
from reti.registry.reference import ensure_reference_data

from .importing.validate import RECORD_COLUMNS
from .models import (
    ImportBatch,
    IndicatorDefinition,
    IndicatorTarget,
    Intervention,
    InterventionTargetGroup,
    ParticipantAccessLog,
    ParticipantRecord,
    SupportedEntity,
)

# scale -> (interventions, participant records)
SCALES = {"small": (50, 20_000), "national": (2_000, 10_000_000)}
FUNDS = {"2014-2020": "FSE", "2021-2027": "FSE+"}
ENTITY_KINDS = [k for k, _label in SupportedEntity.Kind.choices]
COLUMNS = ("intervention_id", *RECORD_COLUMNS)
PENAL_PROJECT, PENAL_GROUP = "esecuzione-penale", "penal_execution"
DATE_COLUMNS = {"entry_date", "exit_date", "leaving_observed_on", "followup_observed_on"}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def purge(*, report=lambda line: None) -> int:
    """Delete every synthetic intervention and participant record (real ones untouched).

    Run by `reti demo` before the registry replaces its synthetic organisations and projects,
    which synthetic interventions refer to. Batches uploaded to a synthetic intervention go
    with it; access-log lines stay, without their intervention.
    """
    synthetic = f"SELECT id FROM {_table(Intervention)} WHERE synthetic = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(ParticipantRecord)} WHERE synthetic = %s", [True])
        removed = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {_table(ParticipantRecord)} WHERE intervention_id IN ({synthetic})",
            [True],
        )
        removed += cursor.rowcount
        cursor.execute(
            f"UPDATE {_table(ParticipantAccessLog)} SET intervention_id = NULL"
            f" WHERE intervention_id IN ({synthetic})",
            [True],
        )
        batches = f"intervention_id IN ({synthetic})"
        cursor.execute(
            f"UPDATE {_table(ImportBatch)} SET replaced_batch_id = NULL WHERE {batches}", [True]
        )
        cursor.execute(f"DELETE FROM {_table(ImportBatch)} WHERE {batches}", [True])
        for model in (
            InterventionTargetGroup,
            IndicatorTarget,
            SupportedEntity,
            Intervention.implementers.through,
        ):
            cursor.execute(f"DELETE FROM {_table(model)} WHERE {batches}", [True])
        cursor.execute(f"DELETE FROM {_table(Intervention)} WHERE synthetic = %s", [True])
    if removed:
        report(f"  monitoraggio: {removed:,} record di partecipanti sintetici rimossi")
    return removed


def _owners(rng, region_codes) -> dict[str, int]:
    """Owning organisation per region code: its Region organisation, else a synthetic one."""
    regions = dict(
        Organisation.objects.filter(kind=Organisation.Kind.REGION, territory__code__in=region_codes)
        .order_by("pk")
        .values_list("territory__code", "pk")
    )
    pool = list(
        Organisation.objects.filter(synthetic=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    ) or list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:500])
    if not pool and not regions:
        raise CommandError("no organisations: run the registry's demo (reti demo) first")
    return {code: regions.get(code) or int(rng.choice(pool)) for code in region_codes}


def _interventions(count: int, seed: int) -> list[dict]:
    """Create the synthetic interventions; returns them as the generator's dicts."""
    from .synthetic import synthetic_interventions

    ensure_reference_data()
    drafts = synthetic_interventions(count, seed)
    rng = np.random.default_rng([seed, 0xDA7A])
    codes = sorted({d["region_code"] for d in drafts})
    territories = dict(Territory.objects.filter(code__in=codes).values_list("code", "pk"))
    # Without the ISTAT territories (reti load-territories) there is nowhere to put them.
    drafts = [d for d in drafts if d["region_code"] in territories]
    if not drafts:
        return []
    codes = sorted({d["region_code"] for d in drafts})
    owners = _owners(rng, codes)
    periods = dict(ProgrammingPeriod.objects.values_list("code", "pk"))
    funds = dict(Fund.objects.values_list("code", "pk"))
    # Projects linked to networks first, so the analytics can compare by network.
    synthetic_projects = Project.objects.filter(synthetic=True).order_by("pk")
    projects = list(
        synthetic_projects.filter(networks__isnull=False)
        .values_list("pk", flat=True)
        .distinct()[:5000]
    ) or list(synthetic_projects.values_list("pk", flat=True)[:5000])
    # The presentation's project on people in penal execution (slides 10-11: monitoring and
    # evaluation of its interventions) holds the demo interventions for that group.
    penal = Project.objects.filter(key=PENAL_PROJECT).values_list("pk", flat=True).first()

    def project_of(d) -> int | None:
        drawn = int(rng.choice(projects)) if projects and rng.random() < 0.7 else None
        return penal if penal and PENAL_GROUP in d["target_groups"] else drawn

    objects = [
        Intervention(
            code=f"DEMO-{d['code']}",
            title_it=f"{d['title']} (demo)",
            title_en=f"Synthetic intervention {i + 1} (demo)",
            project_id=project_of(d),
            organisation_id=owners[d["region_code"]],
            region_id=territories[d["region_code"]],
            period_id=periods[d["period_code"]],
            fund_id=funds.get(FUNDS[d["period_code"]]),
            instrument=d["instrument"],
            budget=d["budget"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            synthetic=True,
        )
        for i, d in enumerate(drafts)
    ]
    Intervention.objects.bulk_create(objects, batch_size=1000)
    created = dict(Intervention.objects.filter(synthetic=True).values_list("code", "pk"))
    groups, entities = [], []
    for d in drafts:
        d["intervention_id"] = created[f"DEMO-{d['code']}"]
        groups += [
            InterventionTargetGroup(intervention_id=d["intervention_id"], group=g)
            for g in d["target_groups"]
        ]
        entities += [
            SupportedEntity(
                intervention_id=d["intervention_id"],
                kind=str(rng.choice(ENTITY_KINDS)),
                name=f"Soggetto sintetico {d['intervention_id']}-{k + 1}",
                synthetic=True,
            )
            for k in range(int(rng.integers(0, 4)))
        ]
    InterventionTargetGroup.objects.bulk_create(groups, batch_size=1000)
    SupportedEntity.objects.bulk_create(entities, batch_size=1000)
    total = IndicatorDefinition.objects.filter(code__in=["EECO01", "CO01"]).values_list(
        "code", "pk"
    )
    indicator = dict(total)
    targets = []
    for d in drafts:
        code = "EECO01" if d["period_code"] == "2021-2027" else "CO01"
        if code in indicator:
            targets.append(
                IndicatorTarget(
                    intervention_id=d["intervention_id"],
                    indicator_id=indicator[code],
                    target=int(rng.integers(50, 400)),
                )
            )
    IndicatorTarget.objects.bulk_create(targets, batch_size=1000)
    return drafts


def _as_rows(chunk: dict, keep: np.ndarray) -> list[tuple]:
    """A generator chunk as database rows (ISO dates, None for NULL): the rows `keep`
    selects (a mask, or indices in the order to write)."""
    columns = []
    for name in COLUMNS:
        values = chunk[name][keep]
        if name in DATE_COLUMNS:
            text = np.datetime_as_string(np.asarray(values, dtype="datetime64[D]")).astype(object)
            text[np.isnat(np.asarray(values, dtype="datetime64[D]"))] = None
            columns.append(text)
        elif np.ma.isMaskedArray(values):
            out = np.ma.getdata(values).astype(object)
            out[np.ma.getmaskarray(values)] = None
            columns.append(out)
        else:
            columns.append(np.asarray(values).astype(object))
    return list(zip(*columns, strict=True))


def _participants(drafts: list[dict], rows: int, seed: int, report) -> int:
    """Write `rows` generated participants; a person appears at most once per intervention."""
    from .synthetic import generate_participants

    table = Table(ParticipantRecord, COLUMNS, fixed={"synthetic": True})
    recent: set[tuple[int, str]] = set()
    written, started = 0, time.monotonic()
    with background_writes():
        for chunk in generate_participants(drafts, rows, seed, chunk=100_000):
            pairs = pd.DataFrame({"i": chunk["intervention_id"], "k": chunk["person_key"]})
            keep = ~pairs.duplicated().to_numpy()
            if recent:
                seen = np.fromiter(
                    ((i, k) in recent for i, k in zip(pairs["i"], pairs["k"], strict=True)),
                    dtype=bool,
                    count=len(pairs),
                )
                keep &= ~seen
            # The generator repeats a person only within about a thousand records.
            tail = pairs.iloc[-2_000:]
            recent = set(zip(tail["i"].tolist(), tail["k"].tolist(), strict=True))
            # Written in key order, so the unique index (intervention, person) grows in runs.
            order = np.lexsort((chunk["person_key"], chunk["intervention_id"]))
            order = order[keep[order]]
            table.write(_as_rows(chunk, order))
            written += int(keep.sum())
            report(f"  partecipanti: {written:,}/{rows:,} ({time.monotonic() - started:.1f} s)")
    return written


def generate(scale: str, *, seed: int, report=lambda line: None) -> dict[str, int]:
    """Replace this module's synthetic records for `scale`; returns the counts written."""
    from .snapshot import refresh
    from .tasks import compute_analyses

    count, rows = SCALES[scale]
    report("Monitoraggio: interventi e partecipanti sintetici…")
    purge(report=report)
    with transaction.atomic():
        drafts = _interventions(count, seed)
        if not drafts:
            report("  nessun territorio caricato (reti load-territories): nessun intervento")
            return {}
        # Millions of records: the secondary indexes (one over random person keys) are
        # rebuilt once at the end instead of taking millions of random inserts.
        bulk = set_aside([ParticipantRecord]) if scale == "national" else nullcontext()
        with bulk, bulk_cache():
            participants = _participants(drafts, rows, seed, report)
            if scale == "national":
                report("  ricostruzione degli indici dei partecipanti…")
    if connection.vendor == "postgresql" and scale == "national":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_table(ParticipantRecord)}")
    report("  istantanea per le analisi (Parquet)…")
    # The analyses the pages show (scipy, statsmodels and scikit-learn over 21 scopes) were
    # most of this demo's time on a first `make run`: the worker that `make run` starts beside
    # the server computes them; until it has, the pages compute on demand and say so.
    refresh(analyses=False)
    transaction.on_commit(compute_analyses.enqueue)
    report("  analisi precalcolate: affidate a `reti worker`")
    return {"interventi (monitoraggio)": len(drafts), "partecipanti (monitoraggio)": participants}
