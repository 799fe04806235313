"""Read-side helpers shared by pages, feeds and the API: filtered events, participant lists."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Event, Registration


@dataclass
class EventFilters:
    kind: str = ""
    network: str = ""  # network slug
    theme: str = ""  # theme code
    when: str = "upcoming"  # upcoming, past or all
    q: str = ""


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
    if filters.q:
        events = events.filter(Q(title_it__icontains=filters.q) | Q(title_en__icontains=filters.q))
    if filters.when == "upcoming":
        events = events.filter(end__gte=now).order_by("start", "id")
    elif filters.when == "past":
        events = events.filter(end__lt=now).order_by("-start", "-id")
    else:
        events = events.order_by("-start", "-id")
    return events


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


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def waitlist_rank(registration: Registration) -> int:
    """1 for the first person on the waiting list, and so on."""
    return registration.event.registrations.filter(
        status=Registration.Status.WAITLISTED, position__lte=registration.position
    ).count()
