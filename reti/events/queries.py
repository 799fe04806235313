"""Read-side helpers shared by pages, feeds and the API: filtered events, participant lists."""

from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from reti.lib import cache

from .models import Event, Registration


@dataclass
class EventFilters:
    kind: str = ""
    network: str = ""  # network slug
    theme: str = ""  # theme code
    when: str = "upcoming"  # upcoming, past or all
    q: str = ""
    host: int | None = None  # host organisation id


def filter_events(filters: EventFilters, queryset: QuerySet | None = None) -> QuerySet:
    """Events matching the filters, soonest first (latest first for past events)."""
    events = queryset if queryset is not None else Event.objects.all()
    now = timezone.now()
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.network:
        events = events.filter(network__slug=filters.network)
    if filters.theme:
        events = events.filter(themes__code=filters.theme)
    if filters.host:
        events = events.filter(host_id=filters.host)
    if filters.q:
        events = events.filter(Q(title_it__icontains=filters.q) | Q(title_en__icontains=filters.q))
    if filters.when == "upcoming":
        events = events.filter(end__gte=now)
        # Bounded below by the earliest start among the events still to end (one index
        # lookup), the database walks the start index from there rather than from the first
        # event ever held, past every finished one.
        first = _first_start_of_events_ending_after(now)
        if first is not None:
            events = events.filter(start__gte=first)
        events = events.order_by("start", "id")
    elif filters.when == "past":
        # An event that has ended has started (the end follows the start): stated, so the
        # start index is read from now backwards, not from the furthest future event.
        events = events.filter(end__lt=now, start__lt=now).order_by("-start", "-id")
    else:
        events = events.order_by("-start", "-id")
    return events


def ordering(filters: EventFilters) -> tuple[str, str]:
    """The list's order: soonest first for upcoming events, latest first otherwise."""
    return ("start", "pk") if filters.when == "upcoming" else ("-start", "-pk")


# The events' cache scope (reti.lib.cache): bumped when an event is saved or deleted, or its
# themes change (reti.events.apps), and by the demo's bulk load.
SCOPE = "events"
# The earliest start among the events still to end: as time passes it can only rise, so an
# older value is still a (looser) bound; recomputed within the hour to stay tight.
FIRST_START_SECONDS = 3600


def _first_start_of_events_ending_after(moment):
    def first():
        return Event.objects.filter(end__gte=moment).aggregate(first=Min("start"))["first"]

    return cache.cached(SCOPE, ("first-start-still-to-end",), first, FIRST_START_SECONDS)


def changed(sender=None, raw=False, **kwargs) -> None:
    """Signal receiver (and the bulk load's call): events changed, once committed."""
    if not raw and not kwargs.get("action", "post_").startswith("pre_"):
        cache.bump(SCOPE)


def with_seats(events: QuerySet) -> QuerySet:
    return events.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        )
    )


def public_participants(event: Event) -> list[Registration]:
    """Confirmed participants who agreed to appear in the public list."""
    return list(
        event.registrations.filter(status=Registration.Status.CONFIRMED, public_consent=True)
        .only("name", "affiliation", "position")
        .order_by("name")
    )


def seat_counts(event: Event) -> dict[str, int]:
    """Confirmed and wait-listed registrations of an event, in one query."""
    return event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def waitlist_rank(registration: Registration) -> int:
    """1 for the first person on the waiting list, and so on."""
    return registration.event.registrations.filter(
        status=Registration.Status.WAITLISTED, position__lte=registration.position
    ).count()


# Rows of each list (upcoming, past) on a network's or an organisation's page.
SHOWN_ON_PAGES = 5


def events_of(**where) -> dict:
    """The next and the latest few events of a network or host (`network=` / `host=`).

    Two queries whatever the number of events: `upcoming` (soonest first) and `past` (latest
    first), each at most SHOWN_ON_PAGES rows with their host and network, plus whether more
    exist (one row more is read).
    """
    now = timezone.now()
    events = (
        Event.objects.filter(**where)
        .select_related("host", "network")
        .only(
            "kind", "title_it", "title_en", "start", "end", "place", "online_url", "synthetic",
            "host__name_it", "host__name_en", "host__acronym",
            "network__slug", "network__name_it", "network__name_en", "network__acronym",
        )
    )  # fmt: skip
    upcoming = list(events.filter(end__gte=now).order_by("start", "id")[: SHOWN_ON_PAGES + 1])
    past = list(events.filter(end__lt=now).order_by("-start", "-id")[: SHOWN_ON_PAGES + 1])
    return {
        "upcoming": upcoming[:SHOWN_ON_PAGES],
        "more_upcoming": len(upcoming) > SHOWN_ON_PAGES,
        "past": past[:SHOWN_ON_PAGES],
        "more_past": len(past) > SHOWN_ON_PAGES,
    }
