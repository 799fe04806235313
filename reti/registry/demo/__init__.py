"""Synthetic demo data: organisations, networks and projects at small or national scale.

Every record is marked synthetic, named with "(demo)" and points at the Source "reti-demo",
whose note records the last run (who, when, scale, seed, counts): the bulk rows themselves get
no audit-trail entry, the run does. A run first deletes the previous synthetic data, so running
twice leaves the same counts; real records (synthetic=False) are never touched.
"""

import getpass
import time
from collections.abc import Callable
from contextlib import nullcontext
from importlib import import_module

from django.db import connection, transaction
from django.utils import timezone

from reti.lib import extensions
from reti.lib.bulk import background_writes, bulk_cache

from .. import places
from ..models import Action, Organisation, Partnership, Project, ProjectPlace, Source
from . import networks, organisations, projects
from .context import SCALES, Scale, build_context
from .indexes import set_aside
from .purge import SYNTHETIC_MODELS, delete_synthetic, release_synthetic

__all__ = ["SCALES", "SOURCE_KEY", "Scale", "generate"]

SOURCE_KEY = "reti-demo"
# The tables that take millions of rows at national scale.
BULK_MODELS = (
    Organisation,
    Project,
    Partnership,
    Action,
    Project.themes.through,
    Project.networks.through,
    ProjectPlace,
)


def generate(
    scale: Scale, *, seed: int = 1, report: Callable[[str], None] = lambda line: None
) -> dict[str, int]:
    """Replace the synthetic data with a fresh set of `scale`; returns the counts written."""
    started = time.monotonic()

    shown = {}

    def progress(what: str, done: int, total: int) -> None:
        step = done * 20 // max(total, 1)  # every 5%
        if shown.get(what) != step:
            shown[what] = step
            report(f"  {what}: {done:,}/{total:,} ({time.monotonic() - started:.1f} s)")

    with transaction.atomic(), bulk_cache():
        report("Rimozione dei dati sintetici precedenti…")
        _purge_modules(report)
        release_synthetic()
        # Bulk work, in or out, runs faster with the indexes set aside and rebuilt once.
        bulk = scale.rebuild_indexes or _holds_bulk_synthetic_data()
        with set_aside(BULK_MODELS) if bulk else nullcontext():
            removed = sum(delete_synthetic().values())
            report(f"  {removed:,} record rimossi ({time.monotonic() - started:.1f} s)")
            source = _source()
            ctx = build_context(scale, seed, source.pk)
            with background_writes():
                counts = {"organizzazioni": organisations.generate(ctx, progress)}
                counts |= networks.generate(ctx, progress)
                counts |= projects.generate(ctx, progress)
            report(f"Territori dei progetti… ({time.monotonic() - started:.1f} s)")
            counts["territori dei progetti"] = places.rebuild(synthetic=True)
            if bulk:
                report(f"Ricostruzione degli indici… ({time.monotonic() - started:.1f} s)")
        report(f"Aggiornamento delle statistiche… ({time.monotonic() - started:.1f} s)")
        _analyze()
        seconds = time.monotonic() - started
        _record_run(source, scale, seed, counts, seconds)
    if bulk:
        _vacuum(report)
    total = time.monotonic() - started
    report(f"Dati sintetici ({scale.name}, seed {seed}) generati in {total:.1f} s.")
    return counts


def _purge_modules(report) -> None:
    """Let the apps delete their synthetic records first (last app first): theirs point at
    synthetic registry rows, which the registry's purge would otherwise refuse."""
    for demo in reversed(extensions.demos()):
        purge = getattr(import_module(demo.module), "purge", None)
        if purge is not None:
            purge(report=report)


def _vacuum(report) -> None:
    """After a bulk load on PostgreSQL, VACUUM sets the visibility map and hint bits, so the
    first readers do not pay for them (index-only scans need the map). It cannot run in a
    transaction, so it is skipped inside one (tests)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    report("VACUUM delle tabelle caricate…")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) " + ", ".join(quote(m._meta.db_table) for m in BULK_MODELS)
        )


def _holds_bulk_synthetic_data(threshold: int = 100_000) -> bool:
    """Whether earlier synthetic data are large enough to delete with indexes set aside."""
    return Partnership.objects.filter(synthetic=True)[:threshold].count() >= threshold


def _source() -> Source:
    source, _ = Source.objects.get_or_create(
        key=SOURCE_KEY,
        defaults={
            "title": "Dati sintetici di dimostrazione (reti demo)",
            "note": "Generati da `reti demo`: non descrivono enti o progetti reali.",
        },
    )
    return source


def _record_run(source: Source, scale: Scale, seed: int, counts, seconds: float) -> None:
    """The audit entry of the run: who, when, scale, seed and counts, on the demo Source."""
    now = timezone.now()
    lines = [
        "Generati da `reti demo`: non descrivono enti o progetti reali.",
        f"Ultima generazione: {timezone.localtime(now):%Y-%m-%d %H:%M:%S %Z}, "
        f"utente di sistema {_who()}, scala {scale.name}, seed {seed}, durata {seconds:.0f} s.",
        *(f"- {what}: {count}" for what, count in counts.items()),
    ]
    source.date = timezone.localdate(now)
    source.note = "\n".join(lines)
    source.save(update_fields=["date", "note"])


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "sconosciuto"


def _analyze() -> None:
    """Refresh the planner's statistics: a bulk load changes the tables' shape."""
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in (*SYNTHETIC_MODELS, ProjectPlace)]
    tables += [
        field.remote_field.through._meta.db_table
        for model in SYNTHETIC_MODELS
        for field in model._meta.many_to_many
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quote(t) for t in tables))
        else:
            cursor.execute("PRAGMA analysis_limit = 1000")
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
