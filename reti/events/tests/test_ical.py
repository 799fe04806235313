"""iCalendar feeds: parsed back, with the properties calendar clients need."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.urls import reverse
from django.utils import timezone

from reti.events.models import Event
from reti.events.tests.factories import EventFactory
from reti.registry.tests import factories as registry

ROME = ZoneInfo("Europe/Rome")


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_feed_of_all_events_parses_back_with_rome_times(client, db):
    start = datetime(2031, 7, 1, 9, 30, tzinfo=ROME)  # summer time: UTC+2
    event = EventFactory(
        title_it="Visita d'estate",
        start=start,
        end=start + timedelta(hours=8),
        place="Firenze",
        online_url="https://meet.example.org/x",
    )
    calendar = _parse(client.get(reverse("events:feed")))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Rome"
    (item,) = calendar.walk("VEVENT")
    assert item["UID"] == f"{event.uid}@reti"
    assert item["SUMMARY"] == "Visita d'estate"
    assert item["LOCATION"] == "Firenze"
    assert item["URL"].endswith(reverse("events:detail", args=[event.pk]))
    assert item["DTSTART"].params["TZID"] == "Europe/Rome"
    assert item.decoded("DTSTART") == start
    assert item.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert item.decoded("DTEND") == start + timedelta(hours=8)
    assert item.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert b"DTSTART;TZID=Europe/Rome:20310701T093000" in client.get(reverse("events:feed")).content


def test_the_network_feed_has_only_its_events(client, cast):
    EventFactory(network=cast.network, title_it="Della rete")
    EventFactory(title_it="Di nessuna rete")
    calendar = _parse(client.get(reverse("events:network_feed", args=[cast.network.slug])))
    assert [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")] == ["Della rete"]
    assert client.get(reverse("events:network_feed", args=["nessuna"])).status_code == 404


def test_the_theme_feed_has_only_its_events(client, db):
    theme = registry.ThemeFactory(code="inclusione-test")
    tagged = EventFactory(title_it="Sul tema")
    tagged.themes.add(theme)
    EventFactory(title_it="Altro tema")
    calendar = _parse(client.get(reverse("events:theme_feed", args=[theme.code])))
    assert [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")] == ["Sul tema"]


def test_events_long_past_leave_the_feed(client, db):
    old = timezone.now() - timedelta(days=400)
    EventFactory(title_it="Antico", start=old, end=old + timedelta(hours=2))
    calendar = _parse(client.get(reverse("events:feed")))
    assert calendar.walk("VEVENT") == []


def test_the_english_feed_names_events_in_english(client, db):
    EventFactory(title_it="Visita", title_en="Visit")
    calendar = _parse(client.get(reverse("events:feed").replace("/it/", "/en/")))
    assert [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")] == ["Visit"]


def test_feeds_refuse_writes(client, db):
    assert client.post(reverse("events:feed")).status_code == 405


def test_a_changed_event_shows_in_the_next_feed_despite_the_cache(client, db, commit_cache_bumps):
    def summaries():
        commit_cache_bumps()  # each change committed before the poll
        calendar = _parse(client.get(reverse("events:feed")))
        return sorted(str(item["SUMMARY"]) for item in calendar.walk("VEVENT"))

    event = EventFactory(title_it="Prima", host=registry.OrganisationFactory(name_it="Ente"))
    assert summaries() == ["Prima"]
    # Kept between polls: a write that bypasses the models' signals is not seen...
    Event.objects.filter(pk=event.pk).update(title_it="Di nascosto")
    assert summaries() == ["Prima"]
    # ...one through them is, at the next poll, and so is a renamed host.
    event.title_it = "Dopo"
    event.save()
    assert summaries() == ["Dopo"]
    EventFactory(title_it="Nuovo")
    assert summaries() == ["Dopo", "Nuovo"]
    event.host.name_it = "Ente rinominato"
    event.host.save()
    commit_cache_bumps()
    (item,) = [
        e
        for e in _parse(client.get(reverse("events:feed"))).walk("VEVENT")
        if e["SUMMARY"] == "Dopo"
    ]
    assert str(item["DESCRIPTION"]).endswith("Ente rinominato")


def test_text_with_separators_newlines_and_long_accented_lines_reads_back_unchanged(client, db):
    summary = "Riga uno; con virgole, punti e virgola\\ e barre.\nRiga due " + "àèìòù€ " * 40
    event = EventFactory(
        title_it="Peer review: città, comuni; province \\ regioni",
        summary_it=summary,
        place="Sala «Verdi», piano 2; ingresso B",
        host=registry.OrganisationFactory(name_it="Comune di Forlì"),
    )
    content = client.get(reverse("events:feed")).content
    lines = content.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    content.decode("utf-8")  # never folded inside a character
    (item,) = _parse(client.get(reverse("events:feed"))).walk("VEVENT")
    assert item["SUMMARY"] == event.title_it
    assert item["LOCATION"] == event.place
    assert item["DESCRIPTION"] == f"{summary}\n\nComune di Forlì"
    assert [str(c) for c in item["CATEGORIES"].cats] == ["Visita di studio"]
