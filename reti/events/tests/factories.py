"""Factories for events; they build synthetic data only."""

from datetime import timedelta

import factory
from django.utils import timezone

from reti.events import models
from reti.registry.tests import factories as registry


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    kind = models.Event.Kind.STUDY_VISIT
    title_it = factory.Sequence(lambda n: f"Visita di studio di prova {n}")
    title_en = factory.Sequence(lambda n: f"Test study visit {n}")
    host = factory.SubFactory(registry.OrganisationFactory)
    place = "Via di prova 1, Firenze"
    # A month ahead at 09:00 local time: six hours later is still the same day, whatever the
    # hour the tests run at (a calendar shows an event on every day it spans).
    start = factory.LazyFunction(
        lambda: timezone.localtime(timezone.now() + timedelta(days=30)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda e: e.start + timedelta(hours=6))
    synthetic = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Persona di prova {n}")
    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    status = models.Registration.Status.CONFIRMED
    position = factory.Sequence(lambda n: n + 1)
    synthetic = True
