"""Synthetic demo events and communities: replaced on each run, real records untouched."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from reti.communities import demo as communities_demo
from reti.communities.models import Community, Post
from reti.events import demo as events_demo
from reti.events.models import Event, Registration
from reti.events.tests.factories import EventFactory
from reti.registry.tests import factories as registry


def test_demo_events_replace_themselves_and_leave_real_events_alone(db):
    registry.OrganisationFactory.create_batch(3)
    registry.NetworkFactory.create_batch(2)
    real = EventFactory(synthetic=False, title_it="Evento reale")
    first = events_demo.generate("small", seed=3)
    second = events_demo.generate("small", seed=3)
    assert first == second and first["eventi"] == 300
    assert Event.objects.filter(synthetic=True).count() == 300
    assert Event.objects.filter(pk=real.pk).exists()
    synthetic = Event.objects.filter(synthetic=True)
    assert all("(demo)" in title for title in synthetic.values_list("title_it", flat=True))
    assert Registration.objects.filter(synthetic=True).count() == first["iscrizioni agli eventi"]
    for event in synthetic.exclude(capacity=None)[:50]:
        confirmed = event.registrations.filter(status="confirmed").count()
        assert confirmed <= event.capacity


def test_demo_communities_replace_themselves(db):
    registry.NetworkFactory.create_batch(2)
    real = Community.objects.create(slug="reale", name_it="Comunità reale")
    counts = communities_demo.generate("small", seed=1)
    assert communities_demo.generate("small", seed=1) == counts
    assert Community.objects.filter(synthetic=True).count() == 12
    assert Post.objects.count() == counts["messaggi"]
    assert Community.objects.filter(pk=real.pk).exists()


def test_demo_events_run_at_their_agendas_times_in_rome_summer_and_winter(client, db):
    registry.OrganisationFactory.create_batch(2)
    registry.NetworkFactory.create_batch(1)
    events_demo.generate("small", seed=5)
    rome = ZoneInfo("Europe/Rome")
    events = list(Event.objects.filter(synthetic=True))
    offsets = set()
    for event in events:
        start, end = event.start.astimezone(rome), event.end.astimezone(rome)
        assert (start.hour, start.minute) == (9, 30), event.start
        assert (end.hour, end.minute) == (16, 30), event.end
        assert event.agenda[0].startswith("09:30") and event.agenda[-1].startswith("16:30")
        offsets.add(start.utcoffset())
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of a DST change
    page = client.get(reverse("events:detail", args=[events[0].pk])).content.decode()
    assert "09:30" in page and "16:30" in page
    feed = client.get(reverse("events:detail_ics", args=[events[0].pk])).content.decode()
    local = events[0].start.astimezone(rome).strftime("%Y%m%dT093000")
    assert f"DTSTART;TZID=Europe/Rome:{local}" in feed
