"""Synthetic demo events, called by `reti demo` after the registry's data exist.

Every event is marked synthetic, named "(demo)", hosted by a synthetic organisation within a
synthetic network, and carries synthetic registrations (name "Partecipante sintetico N",
addresses at example.org). A run first deletes the previous synthetic events, so running twice
leaves the same counts; real events are never touched. Dates are spread around the day of the
run (two years back, one ahead), so the portal always shows upcoming and past events; each
runs 09:30-16:30 Rome time (one day, or two), as its agenda says. Rows
are bulk-inserted: no audit entry per row, as in the registry's demo.
"""

import random
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from reti.lib.bulk import Table, background_writes, reserve_ids
from reti.registry.models import Network, Organisation, Theme, WorkingGroup

from . import queries
from .models import Event, EventDocument, FollowUpItem, PeerReviewPoint, Registration
from .models.outputs import ReminderSent

SCALES = {
    "small": {"events": 300, "registrations": 8, "batch": 2_000},
    "national": {"events": 100_000, "registrations": 3, "batch": 10_000},
}
KIND_WEIGHTS = {
    Event.Kind.STUDY_VISIT: 25,
    Event.Kind.PEER_REVIEW: 10,
    Event.Kind.EXPERT_SEMINAR: 20,
    Event.Kind.THEMATIC_MEETING: 20,
    Event.Kind.WORKING_GROUP_MEETING: 20,
    Event.Kind.CONFERENCE: 5,
}
TITLES = {
    Event.Kind.STUDY_VISIT: ("Visita di studio: {topic} (demo)", "Study visit: {topic} (demo)"),
    Event.Kind.PEER_REVIEW: ("Peer review: {topic} (demo)", "Peer review: {topic} (demo)"),
    Event.Kind.EXPERT_SEMINAR: (
        "Seminario con esperti: {topic} (demo)",
        "Expert seminar: {topic} (demo)",
    ),
    Event.Kind.THEMATIC_MEETING: (
        "Incontro tematico: {topic} (demo)",
        "Thematic meeting: {topic} (demo)",
    ),
    Event.Kind.WORKING_GROUP_MEETING: (
        "Riunione del gruppo di lavoro: {topic} (demo)",
        "Working-group meeting: {topic} (demo)",
    ),
    Event.Kind.CONFERENCE: ("Conferenza: {topic} (demo)", "Conference: {topic} (demo)"),
}
TOPICS = [
    (
        "inserimento lavorativo delle persone in esecuzione penale",
        "work integration of people serving sentences",
    ),
    ("piccoli sussidi per il terzo settore", "small grants for the third sector"),
    ("vittime di tratta e economia sociale", "trafficking victims and the social economy"),
    ("responsabilità sociale d'impresa", "corporate social responsibility"),
    ("cooperative sociali di tipo B", "type-B social cooperatives"),
    ("valutazione d'impatto degli interventi", "impact evaluation of interventions"),
    ("servizi per l'impiego e inclusione", "employment services and inclusion"),
]
CITIES = [
    "Firenze",
    "Roma",
    "Trento",
    "Bologna",
    "Torino",
    "Napoli",
    "Bari",
    "Milano",
    "Cagliari",
    "Palermo",
    "Venezia",
    "Perugia",
]
ROME = ZoneInfo("Europe/Rome")
DAY_STARTS, DAY_ENDS = clock(9, 30), clock(16, 30)
AGENDA = (
    "09:30 Accoglienza dei partecipanti\n10:00 Presentazione dell'esperienza\n"
    "11:30 Visita e confronto\n13:00 Pranzo\n14:30 Lavoro di gruppo\n16:30 Conclusioni"
)


def _delete_previous() -> int:
    """Delete synthetic events and everything hanging from them, one statement per table."""
    quote = connection.ops.quote_name
    events = f"SELECT id FROM {quote(Event._meta.db_table)} WHERE synthetic = %s"
    children = [
        (ReminderSent, "item_id", FollowUpItem),
        (FollowUpItem, "event_id", None),
        (PeerReviewPoint, "event_id", None),
        (EventDocument, "event_id", None),
        (Registration, "event_id", None),
        (Event.themes.through, "event_id", None),
        (Event.practices.through, "event_id", None),
    ]
    with connection.cursor() as cursor:
        for model, column, via in children:
            table = quote(model._meta.db_table)
            if via is None:
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({events})", [True])
            else:
                parents = f"SELECT id FROM {quote(via._meta.db_table)} WHERE event_id IN ({events})"
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({parents})", [True])
        cursor.execute(f"DELETE FROM {quote(Event._meta.db_table)} WHERE synthetic = %s", [True])
        return cursor.rowcount


def _pools():
    hosts = list(
        Organisation.objects.filter(synthetic=True)
        .order_by("id")
        .values_list("id", flat=True)[:5_000]
    )
    networks = list(
        Network.objects.filter(synthetic=True).order_by("id").values_list("id", flat=True)
    )
    groups = {}
    for group_id, network_id in WorkingGroup.objects.filter(network_id__in=networks).values_list(
        "id", "network_id"
    ):
        groups.setdefault(network_id, []).append(group_id)
    themes = list(Theme.objects.order_by("code").values_list("id", flat=True))
    return hosts, networks, groups, themes


EVENT_COLUMNS = (
    "id", "uid", "kind", "title_it", "title_en", "summary_it", "summary_en", "host_id",
    "network_id", "working_group_id", "place", "online_url", "start", "end", "agenda_it",
    "capacity", "registration_deadline",
)  # fmt: skip
REGISTRATION_COLUMNS = (
    "event_id", "name", "email", "affiliation", "language", "status", "position",
    "public_consent", "attended",
)  # fmt: skip


class _Tables:
    """The bulk writers (tuples: executemany on SQLite, COPY on PostgreSQL) and the way each
    generated value becomes a database value."""

    def __init__(self):
        self.events = Table(Event, EVENT_COLUMNS, fixed={"synthetic": True})
        self.registrations = Table(Registration, REGISTRATION_COLUMNS, fixed={"synthetic": True})
        self.themes = Table(Event.themes.through, ("event_id", "theme_id"))
        fields = {f.column: f for f in Event._meta.concrete_fields}
        self.uid = fields["uid"]

    def uid_value(self, value: uuid.UUID):
        return self.uid.get_db_prep_save(value, connection)


def _moment(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _event(rng: random.Random, now: datetime, pools, tables: _Tables, event_id: int):
    """One event row; returns (row, end, capacity) for its registrations."""
    hosts, networks, groups = pools
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    topic_it, topic_en = rng.choice(TOPICS)
    title_it, title_en = (
        t.format(topic=topic) for t, topic in zip(TITLES[kind], (topic_it, topic_en), strict=True)
    )
    # The day's agenda (AGENDA) runs 09:30-16:30 in Rome, summer or winter time alike.
    day = timezone.localtime(now, ROME).date() + timedelta(days=rng.randint(-730, 365))
    start = datetime.combine(day, DAY_STARTS, tzinfo=ROME)
    online = kind in (Event.Kind.WORKING_GROUP_MEETING, Event.Kind.THEMATIC_MEETING) and (
        rng.random() < 0.4
    )
    network = rng.choice(networks) if networks else None
    capacity = rng.choice((None, 15, 20, 30, 50, 100))
    # One day, or two (a study visit over two days ends at 16:30 on the second).
    end = datetime.combine(day + timedelta(days=rng.choice((0, 0, 0, 1))), DAY_ENDS, tzinfo=ROME)
    group = (
        rng.choice(groups[network])
        if network in groups and kind == Event.Kind.WORKING_GROUP_MEETING
        else None
    )
    row = (
        event_id,
        tables.uid_value(uuid.UUID(int=rng.getrandbits(128), version=4)),
        str(kind),
        title_it,
        title_en,
        f"Evento sintetico di dimostrazione su: {topic_it}.",
        f"Synthetic demo event on: {topic_en}.",
        rng.choice(hosts) if hosts else None,
        network,
        group,
        "" if online else f"Sede sintetica, {rng.choice(CITIES)}",
        "https://meet.example.org/demo" if online else "",
        _moment(start),
        _moment(end),
        AGENDA,
        capacity,
        _moment(start - timedelta(days=2)),
    )
    return row, end, capacity


def _registrations(rng: random.Random, event_id, end, capacity, now, mean: int, counter):
    count = rng.randint(0, mean * 2)
    rows = []
    confirmed = 0
    for position in range(1, count + 1):
        counter[0] += 1
        n = counter[0]
        cancelled = rng.random() < 0.05
        full = capacity is not None and confirmed >= capacity
        status = "cancelled" if cancelled else "waitlisted" if full else "confirmed"
        confirmed += status == "confirmed"
        rows.append(
            (
                event_id,
                f"Partecipante sintetico {n}",
                f"partecipante{n}@example.org",
                "Ente sintetico (demo)",
                "en" if rng.random() < 0.1 else "it",
                status,
                position,
                rng.random() < 0.5,
                (rng.random() < 0.9) if status == "confirmed" and end < now else None,
            )
        )
    return rows


def generate(scale: str, *, seed: int = 1, report=lambda line: None) -> dict[str, int]:
    """Replace the synthetic events for `scale`; returns the counts written."""
    settings = SCALES[scale]
    started = time.monotonic()
    rng = random.Random(f"events-{seed}")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        removed = _delete_previous()
        report(f"Eventi sintetici precedenti rimossi: {removed:,}")
        hosts, networks, groups, themes = _pools()
        pools = (hosts, networks, groups)
        tables = _Tables()
        first = reserve_ids(Event, settings["events"])
        counter = [0]
        done = 0
        with background_writes():
            while done < settings["events"]:
                size = min(settings["batch"], settings["events"] - done)
                events, links, registrations = [], [], []
                for event_id in range(first + done, first + done + size):
                    row, end, capacity = _event(rng, now, pools, tables, event_id)
                    events.append(row)
                    if themes:
                        picked = rng.sample(themes, k=min(len(themes), rng.randint(1, 2)))
                        links += [(event_id, theme) for theme in picked]
                    registrations += _registrations(
                        rng, event_id, end, capacity, now, settings["registrations"], counter
                    )
                tables.events.write(events)
                tables.themes.write(links)
                tables.registrations.write(registrations)
                done += size
                seconds = time.monotonic() - started
                report(f"  eventi: {done:,}/{settings['events']:,} ({seconds:.1f} s)")
        points = _peer_review_points(rng)
        _analyze()
    _vacuum(report)
    queries.changed()  # bulk rows pass no signal
    report(f"Eventi sintetici generati in {time.monotonic() - started:.1f} s.")
    return {
        "eventi": tables.events.count,
        "iscrizioni agli eventi": tables.registrations.count,
        "punti di peer review": points,
    }


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, so pages use the indexes at once."""
    tables = [
        Event._meta.db_table,
        Registration._meta.db_table,
        Event.themes.through._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables))
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")


def _vacuum(report) -> None:
    """On PostgreSQL, VACUUM after the bulk load sets the visibility map and the hint bits:
    the event list's index-only scans then skip the table, and the first readers do not
    rewrite its pages (a first list 0.3 s instead of 10 ms). Not possible in a transaction
    (tests), where it is skipped."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    report("VACUUM degli eventi…")
    quote = connection.ops.quote_name
    tables = [Event, Registration, Event.themes.through]
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) " + ", ".join(quote(model._meta.db_table) for model in tables)
        )


def _peer_review_points(rng: random.Random) -> int:
    """Questions and recommendations for past synthetic peer reviews (at most 200)."""
    reviews = Event.objects.filter(
        synthetic=True, kind=Event.Kind.PEER_REVIEW, end__lt=timezone.now()
    ).order_by("id")[:200]
    rows = []
    for event in reviews:
        rows.append(
            PeerReviewPoint(
                event=event,
                kind="question",
                text="Come coinvolgere le imprese del territorio? (demo)",
            )
        )
        rows.append(
            PeerReviewPoint(
                event=event,
                kind="recommendation",
                text="Istituire un tavolo permanente con le imprese. (demo)",
            )
        )
    PeerReviewPoint.objects.bulk_create(rows)
    return len(rows)
