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
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
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
