"""A single event's calendar file, the personal feed of one's registrations, and the
registration form filled in for a signed-in user."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from reti.events import ical
from reti.events.models import Registration
from reti.events.tests.factories import EventFactory, RegistrationFactory

ROME = ZoneInfo("Europe/Rome")


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_one_event_has_its_own_ics_with_rome_times_across_the_dst_change(client, db):
    # 30 March 2031 is the last Sunday of March: the event starts in winter time and ends in
    # summer time, and the file must say 09:30 and 16:30 on the wall clock in Rome.
    event = EventFactory(
        start=datetime(2031, 3, 29, 9, 30, tzinfo=ROME),
        end=datetime(2031, 3, 31, 16, 30, tzinfo=ROME),
    )
    other = EventFactory()
    response = client.get(reverse("events:detail_ics", args=[event.pk]))
    text = response.content.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Rome" in text
    assert "DTSTART;TZID=Europe/Rome:20310329T093000" in text
    assert "DTEND;TZID=Europe/Rome:20310331T163000" in text
    items = list(_calendar(response).walk("VEVENT"))
    assert len(items) == 1 and str(items[0]["UID"]).startswith(str(event.uid))
    start, end = items[0]["DTSTART"].dt, items[0]["DTEND"].dt
    assert start.utcoffset().total_seconds() == 3600 and end.utcoffset().total_seconds() == 7200
    assert start.astimezone(ROME) == event.start and end.astimezone(ROME) == event.end
    assert str(other.uid) not in text
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert reverse("events:detail_ics", args=[event.pk]) in page


def test_a_missing_event_has_no_ics_and_writes_are_refused(client, db):
    assert client.get(reverse("events:detail_ics", args=[999999])).status_code == 404
    event = EventFactory()
    assert client.post(reverse("events:detail_ics", args=[event.pk])).status_code == 405


def test_the_account_page_gives_a_personal_feed_of_ones_registrations(client, cast):
    mine, cancelled, others = EventFactory(), EventFactory(), EventFactory()
    user = cast.toscana_officer
    RegistrationFactory(event=mine, user=user)
    RegistrationFactory(event=cancelled, user=user, status=Registration.Status.CANCELLED)
    RegistrationFactory(event=others, user=cast.lazio_officer)
    client.force_login(user)
    page = client.get(reverse("accounts:account")).content.decode()
    feed_path = reverse("events:my_feed", args=[ical.feed_token(user)])
    assert feed_path in page
    client.logout()  # calendar clients poll without signing in
    uids = {str(item["UID"]) for item in _calendar(client.get(feed_path)).walk("VEVENT")}
    assert uids == {f"{mine.uid}@reti"}


def test_a_wrong_or_retired_personal_feed_token_finds_nothing(client, cast):
    user = cast.toscana_officer
    token = ical.feed_token(user)
    other = ical.feed_token(cast.lazio_officer)
    forged = f"{cast.lazio_officer.pk}-{token.partition('-')[2]}"
    altered = token[:-1] + ("1" if token.endswith("0") else "0")
    for bad in (forged, altered, "abc", other[:-3]):
        assert client.get(reverse("events:my_feed", args=[bad])).status_code == 404
    user.set_password("una password del tutto nuova 42")
    user.save()
    assert client.get(reverse("events:my_feed", args=[token])).status_code == 404
    assert client.post(reverse("events:my_feed", args=[other])).status_code == 405


def test_registration_is_prefilled_for_a_signed_in_user(client, cast):
    event = EventFactory()
    user = cast.toscana_officer
    user.first_name, user.last_name, user.email = "Anna", "Rossi", "anna.rossi@example.org"
    user.save()
    client.force_login(user)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'value="Anna Rossi"' in page
    assert 'value="anna.rossi@example.org"' in page
    assert f'value="{cast.toscana.name}"' in page
    client.logout()
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'value="Anna Rossi"' not in page
