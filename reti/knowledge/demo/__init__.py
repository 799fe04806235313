"""Synthetic good practices, attachment texts, results and transfers for `reti demo`.

Practices are led by the registry demo's synthetic organisations, come from its synthetic
networks and are marked synthetic, titled "(demo)". Attachments carry only their extracted
text (no file is written). Rows are written in bulk (reti.lib.bulk: executemany
on SQLite, COPY on PostgreSQL); the bulk rows get no audit entries. Published practices are
then indexed by the search engine, unless the caller rebuilds the whole index afterwards
(`reti demo`: reti.registry.demo.indexing).
"""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from reti.lib.bulk import Table, reserve_ids
from reti.registry import search as engine
from reti.registry.demo import indexing
from reti.registry.models import Fund, Network, Organisation, ProgrammingPeriod, Territory, Theme

from ..models import Attachment, GoodPractice, PracticeResult, TargetGroup, Transfer
from ..search import KIND, MAX_SEARCH_TEXT
from . import texts

PRACTICES = {"small": 300, "national": 50_000}
BATCH = 2_000
State = GoodPractice.State
# Most demo practices are public; the rest show the lifecycle's other states.
STATES = [State.PUBLISHED] * 8 + [State.DRAFT, State.SUBMITTED, State.VALIDATED, State.ARCHIVED]
STAGES = Transfer.ORDER


def _prep(model, field: str, value):
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def purge(*, report=lambda line: None) -> int:
    """Delete every synthetic practice with what hangs from it; returns the practices."""
    quote = connection.ops.quote_name
    practices = quote(GoodPractice._meta.db_table)
    synthetic = f"SELECT id FROM {practices} WHERE synthetic = %s"
    with transaction.atomic():
        ids = list(GoodPractice.objects.filter(synthetic=True).values_list("pk", flat=True))
        if indexing.generators_index():
            for start in range(0, len(ids), BATCH):
                engine.engine().remove(KIND, ids[start : start + BATCH])
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(Transfer._meta.db_table)} WHERE synthetic = %s "
                f"OR practice_id IN ({synthetic})",
                [True, True],
            )
            for model in (Attachment, PracticeResult):
                cursor.execute(
                    f"DELETE FROM {quote(model._meta.db_table)} WHERE practice_id IN ({synthetic})",
                    [True],
                )
            for field in GoodPractice._meta.many_to_many:
                through = field.remote_field.through
                cursor.execute(
                    f"DELETE FROM {quote(through._meta.db_table)} "
                    f"WHERE {quote(field.m2m_column_name())} IN ({synthetic})",
                    [True],
                )
            for related in ("contacts", "links"):
                model = GoodPractice._meta.get_field(related).related_model
                cursor.execute(
                    f"DELETE FROM {quote(model._meta.db_table)} WHERE practice_id IN ({synthetic})",
                    [True],
                )
            cursor.execute(f"DELETE FROM {practices} WHERE synthetic = %s", [True])
    report(f"Buone pratiche sintetiche rimosse: {len(ids):,}")
    return len(ids)


def _regions() -> dict[int, int]:
    """Territory id -> id of its region (or autonomous province), for every Italian unit."""
    rows = {
        pk: (level, parent)
        for pk, level, parent in Territory.objects.values_list("pk", "level", "parent_id")
    }
    regions = {}
    for pk in rows:
        current, depth = pk, 0
        while current is not None and depth < 6:
            level, parent = rows[current]
            if level in (Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE):
                regions[pk] = current
                break
            current, depth = parent, depth + 1
    return regions


def generate(
    scale: str, *, seed: int, report=lambda line: None, practices: int | None = None
) -> dict[str, int]:
    """Replace the synthetic practices with `PRACTICES[scale]` (or `practices`) new ones;
    returns the counts written."""
    started = time.monotonic()
    purge(report=report)
    rng = random.Random(f"knowledge-{seed}")
    organisations = list(
        Organisation.objects.filter(synthetic=True).values_list("pk", "territory_id", "name_it")
    )
    networks = list(Network.objects.filter(synthetic=True).values_list("pk", flat=True))
    if not organisations:
        report("Nessuna organizzazione sintetica: buone pratiche non generate.")
        return {"buone pratiche": 0}
    networks = networks or list(Network.objects.values_list("pk", flat=True))
    periods = list(ProgrammingPeriod.objects.values_list("pk", "start_year", "end_year"))
    themes = list(Theme.objects.values_list("pk", "name_it", "name_en"))
    groups = {
        code: (pk, it, en)
        for pk, code, it, en in TargetGroup.objects.values_list("pk", "code", "name_it", "name_en")
    }
    fund = Fund.objects.filter(code="FSE").values_list("pk", flat=True).first()
    regions = _regions()
    total = practices if practices is not None else PRACTICES[scale]
    counts = {"buone pratiche": 0, "allegati (testo)": 0, "risultati": 0, "trasferimenti": 0}
    with transaction.atomic():
        tables = _tables()
        first = reserve_ids(GoodPractice, total)
        for start in range(0, total, BATCH):
            size = min(BATCH, total - start)
            _batch(
                rng,
                tables,
                first + start,
                size,
                organisations,
                networks,
                periods,
                themes,
                groups,
                fund,
                regions,
                counts,
            )
            report(
                f"  buone pratiche: {start + size:,}/{total:,} ({time.monotonic() - started:.1f} s)"
            )
    _statistics(report)
    if indexing.generators_index():
        _index_published(started, report)
    return counts


def _statistics(report) -> None:
    """Planner statistics after the bulk load (the tables had none: PostgreSQL guessed every
    size) and, on PostgreSQL outside a transaction, VACUUM's visibility map and hint bits."""
    tables = [GoodPractice, Attachment, PracticeResult, Transfer]
    tables += [field.remote_field.through for field in GoodPractice._meta.many_to_many]
    names = [connection.ops.quote_name(model._meta.db_table) for model in tables]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            report("VACUUM delle buone pratiche…")
            cursor.execute("VACUUM (ANALYZE) " + ", ".join(names))
        else:
            for name in names:
                cursor.execute(f"ANALYZE {name}")


def _index_published(started: float, report) -> None:
    published = list(
        GoodPractice.objects.filter(synthetic=True, state=State.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(published), BATCH):
        with transaction.atomic():
            engine.engine().index(KIND, published[start : start + BATCH])
    report(f"Buone pratiche indicizzate: {len(published):,} ({time.monotonic() - started:.1f} s)")


def _tables() -> dict[str, Table]:
    through_themes = GoodPractice.themes.through
    through_groups = GoodPractice.target_groups.through
    return {
        "practice": Table(
            GoodPractice,
            [
                "id",
                "title_it",
                "title_en",
                "summary_it",
                "summary_en",
                "description_it",
                "description_en",
                "results_it",
                "evidence_it",
                "transfer_potential_it",
                "status_en",
                "lead_organisation_id",
                "network_id",
                "period_id",
                "fund_id",
                "amount",
                "territory_id",
                "region_id",
                "start_date",
                "end_date",
                "state",
                "submitted_at",
                "validated_at",
                "published_at",
                "validation_comment",
                "search_text",
            ],
            fixed={"synthetic": True},
        ),
        "themes": Table(through_themes, ["goodpractice_id", "theme_id"]),
        "groups": Table(through_groups, ["goodpractice_id", "targetgroup_id"]),
        "attachment": Table(
            Attachment,
            [
                "practice_id",
                "file",
                "original_name",
                "title",
                "kind",
                "size",
                "extracted_text",
                "extraction_status",
            ],
            fixed={"synthetic": True},
        ),
        "result": Table(
            PracticeResult, ["practice_id", "label_it", "label_en", "value", "unit", "evidence"]
        ),
        "transfer": Table(
            Transfer,
            [
                "practice_id",
                "adopting_organisation_id",
                "adopting_region_id",
                "stage",
                "adapted_it",
                "results_it",
                "start_date",
                "end_date",
            ],
            fixed={"synthetic": True},
        ),
    }


def _batch(
    rng,
    tables,
    first_id,
    size,
    organisations,
    networks,
    periods,
    themes,
    groups,
    fund,
    regions,
    counts,
) -> None:
    rows = {name: [] for name in tables}
    now = timezone.now()
    for pk in range(first_id, first_id + size):
        title_it, title_en, group_code = texts.title(rng)
        lead, territory, lead_name = rng.choice(organisations)
        period_id, start_year, end_year = rng.choice(periods) if periods else (None, 2014, 2020)
        start = date(rng.randint(start_year, end_year), rng.randint(1, 12), 1)
        end = start + timedelta(days=rng.randint(180, 1400))
        state = rng.choice(STATES)
        summary_it, summary_en = texts.paragraphs(rng, 2)
        description_it, description_en = texts.paragraphs(rng, 5)
        results_it = texts.paragraph(rng, texts.SENTENCES_IT, 2)
        report_text = texts.attachment_text(rng, title_it)
        chosen_themes = rng.sample(themes, k=min(len(themes), rng.randint(1, 3)))
        chosen_groups = [groups[group_code]] if group_code in groups else []
        submitted = validated = published = None
        if state != State.DRAFT:
            submitted = now - timedelta(days=rng.randint(30, 2000))
        if state in (State.VALIDATED, State.PUBLISHED, State.ARCHIVED):
            validated = submitted + timedelta(days=rng.randint(1, 20))
        if state in (State.PUBLISHED, State.ARCHIVED):
            published = validated + timedelta(days=rng.randint(0, 10))
        search_text = "\n".join(
            [
                title_it,
                title_en,
                summary_it,
                summary_en,
                description_it,
                description_en,
                results_it,
                lead_name,
                *(f"{t[1]} {t[2]}" for t in chosen_themes),
                *(f"{g[1]} {g[2]}" for g in chosen_groups),
                report_text,
            ]
        )[:MAX_SEARCH_TEXT]
        model = GoodPractice
        rows["practice"].append(
            (
                pk,
                title_it,
                title_en,
                summary_it,
                summary_en,
                description_it,
                description_en,
                results_it,
                texts.paragraph(rng, texts.SENTENCES_IT, 1),
                texts.paragraph(rng, texts.SENTENCES_IT, 1),
                "translated",
                lead,
                rng.choice(networks) if networks else None,
                period_id,
                fund,
                _prep(model, "amount", Decimal(rng.randint(5, 500) * 1000)),
                territory,
                regions.get(territory),
                start.isoformat(),
                end.isoformat(),
                state,
                _prep(model, "submitted_at", submitted),
                _prep(model, "validated_at", validated),
                _prep(model, "published_at", published),
                "Validata dal segretariato (dato sintetico)." if validated else "",
                search_text,
            )
        )
        rows["themes"] += [(pk, theme[0]) for theme in chosen_themes]
        rows["groups"] += [(pk, group[0]) for group in chosen_groups]
        rows["attachment"].append(
            (
                pk,
                f"knowledge/demo/relazione-{pk}.pdf",
                f"relazione-{pk}.pdf",
                "Relazione di valutazione (demo)",
                "pdf",
                len(report_text) * 3,
                report_text,
                "done",
            )
        )
        rows["result"].append(
            (
                pk,
                "Partecipanti occupati a sei mesi",
                "Participants employed after six months",
                _prep(PracticeResult, "value", Decimal(rng.randint(5, 300))),
                "persone",
                "Monitoraggio del progetto (dato sintetico)",
            )
        )
        if state in (State.PUBLISHED, State.ARCHIVED) and rng.random() < 0.6:
            adopters = rng.sample(organisations, k=min(len(organisations), rng.randint(1, 2)))
            for adopter, adopter_territory, _ in adopters:
                if adopter == lead:
                    continue
                stage = rng.choice(STAGES)
                begun = date(rng.randint(2012, 2024), rng.randint(1, 12), 1)
                rows["transfer"].append(
                    (
                        pk,
                        adopter,
                        regions.get(adopter_territory),
                        stage,
                        "Adattata all'organizzazione dei servizi locali (dato sintetico).",
                        texts.paragraph(rng, texts.SENTENCES_IT, 1),
                        begun.isoformat(),
                        (begun + timedelta(days=365)).isoformat() if stage == "adopted" else None,
                    )
                )
    for name, table in tables.items():
        table.write(rows[name])
    counts["buone pratiche"] += len(rows["practice"])
    counts["allegati (testo)"] += len(rows["attachment"])
    counts["risultati"] += len(rows["result"])
    counts["trasferimenti"] += len(rows["transfer"])
