"""Dates as Italian writes them: month names in lower case inside a sentence, capitalised only
where they open a heading; English keeps its capitals."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import translation

from reti.events.tests.factories import EventFactory

ROME = ZoneInfo("Europe/Rome")


def test_italian_month_names_are_lower_case_inside_sentences(client, db):
    event = EventFactory(
        start=datetime(2031, 11, 5, 9, 30, tzinfo=ROME),
        end=datetime(2031, 11, 5, 16, 30, tzinfo=ROME),
    )
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "5 novembre 2031, 09:30" in page and "Novembre" not in page
    calendar = client.get(reverse("events:calendar"), {"month": "2031-11"}).content.decode()
    assert '<h2 class="h4 mb-0" id="month-title">Novembre 2031</h2>' in calendar
    assert "Eventi di novembre 2031" in calendar
    with translation.override("en"):
        english = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "5 November 2031" in english
