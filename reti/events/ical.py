"""iCalendar feeds (RFC 5545) of events: all, per network, per theme.

Times are written in Europe/Rome with its VTIMEZONE (the EU summer-time rule), DTSTAMP in
UTC. A feed carries the events that ended at most FEED_PAST_DAYS ago and the upcoming ones,
at most FEED_MAX_EVENTS, so that calendar clients polling it stay fast at national scale.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as VEvent

from .emails import site_url

ROME = ZoneInfo("Europe/Rome")
CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_PAST_DAYS = 365
FEED_MAX_EVENTS = 2000
PRODID = "-//Reti//Eventi delle reti//IT"


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


def _vevent(event, host: str) -> VEvent:
    item = VEvent()
    item.add("uid", f"{event.uid}@reti")
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("dtstart", event.start.astimezone(ROME))
    item.add("dtend", event.end.astimezone(ROME))
    item.add("summary", event.title)
    item.add("categories", [event.get_kind_display()])
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    item.add("url", site_url(event.get_absolute_url()))
    description = "\n\n".join(part for part in (event.summary, host, event.online_url) if part)
    if description:
        item.add("description", description)
    return item


def build_calendar(events, name: str) -> bytes:
    """A VCALENDAR of `events` (already bounded) named `name`, as bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    calendar.add_component(_rome_timezone())
    for event in events:
        calendar.add_component(_vevent(event, event.host.name if event.host_id else ""))
    return calendar.to_ical()
