"""Factories for knowledge records; synthetic data only."""

import factory

from reti.knowledge import models
from reti.registry.tests import factories as rf


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GoodPractice

    title_it = factory.Sequence(lambda n: f"Pratica di prova {n}")
    summary_it = "Sintesi di prova."
    lead_organisation = factory.SubFactory(rf.OrganisationFactory)
    synthetic = True


class TransferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Transfer

    practice = factory.SubFactory(PracticeFactory)
    adopting_organisation = factory.SubFactory(rf.OrganisationFactory)
    stage = models.Transfer.Stage.INTEREST
    synthetic = True
