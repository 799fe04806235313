"""iCalendar feeds (RFC 5545) of events: all, per network, per theme.

Times are written in Europe/Rome with its VTIMEZONE (the EU summer-time rule), DTSTAMP in
UTC. A feed carries the events that ended at most FEED_PAST_DAYS ago and the upcoming ones,
at most FEED_MAX_EVENTS, so that calendar clients polling it stay fast at national scale.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as VEvent

from .emails import site_url
from .models import Event

ROME = ZoneInfo("Europe/Rome")
CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_PAST_DAYS = 365
FEED_MAX_EVENTS = 2000
PRODID = "-//Reti//Eventi delle reti//IT"
FEED_CACHE_SECONDS = 3600


def feed_events(events: QuerySet) -> QuerySet:
    """The events a feed carries: recent and upcoming, soonest first, bounded."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return (
        events.filter(end__gte=since)
        .select_related("host")
        .only(
            "uid",
            "kind",
            "title_it",
            "title_en",
            "summary_it",
            "summary_en",
            "place",
            "online_url",
            "start",
            "end",
            "updated_at",
            "host__name_it",
            "host__name_en",
        )
        .order_by("start", "id")[:FEED_MAX_EVENTS]
    )


def _rome_timezone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", "Europe/Rome")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("tzname", "CET")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("tzname", "CEST")
    zone.add_component(standard)
    zone.add_component(daylight)
    return zone


def _vevent(event, host: str, url: str, kind: str) -> VEvent:
    item = VEvent()
    item.add("uid", f"{event.uid}@reti")
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("dtstart", event.start.astimezone(ROME))
    item.add("dtend", event.end.astimezone(ROME))
    item.add("summary", event.title)
    item.add("categories", [kind])
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    item.add("url", url)
    description = "\n\n".join(part for part in (event.summary, host, event.online_url) if part)
    if description:
        item.add("description", description)
    return item


def build_calendar(events, name: str) -> bytes:
    """A VCALENDAR of `events` (already bounded) named `name`, as bytes."""
    labels = {value: str(label) for value, label in Event.Kind.choices}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    calendar.add_component(_rome_timezone())
    # One reverse() for the feed: resolving each event's URL costs more than writing it.
    marker = 987654321
    page = site_url(reverse("events:detail", args=[marker]))
    for event in events:
        url = page.replace(str(marker), str(event.pk))
        host = event.host.name if event.host_id else ""
        calendar.add_component(_vevent(event, host, url, labels[event.kind]))
    return calendar.to_ical()


def cached_feed(events: QuerySet, name: str, scope: str) -> bytes:
    """The feed of `events`, rebuilt only when one of its events changed, came or went.

    Calendar clients poll feeds every few minutes; a cheap aggregate over the feed's window
    (count, last change, first and last id) keys the cached bytes, per language and `scope`
    (which events: "all", "network:<slug>", "theme:<code>").
    """
    window = feed_events(events)
    stats = Event.objects.filter(pk__in=window.values("pk")).aggregate(
        count=Count("pk"), changed=Max("updated_at"), first=Min("pk"), last=Max("pk")
    )
    key = (
        "events-feed:"
        + hashlib.sha256(
            f"{get_language()}|{scope}|{name}|{sorted(stats.items())}".encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        body = build_calendar(window, name)
        cache.set(key, body, FEED_CACHE_SECONDS)
    return body
