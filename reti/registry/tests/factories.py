"""Factories for registry records; they build synthetic data only."""

import factory
from django.contrib.auth import get_user_model

from reti.accounts.models import Membership
from reti.registry import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("test-password-1")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgrammingPeriod
        django_get_or_create = ("code",)

    code = "2007-2013"
    start_year = 2007
    end_year = 2013


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Fund
        django_get_or_create = ("code",)

    code = "FSE"
    name_it = "Fondo sociale europeo"
    name_en = "European Social Fund"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Theme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tema-{n}")
    name_it = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Territory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:02d}")
    level = models.Territory.Level.REGION
    name_it = factory.Sequence(lambda n: f"Regione di prova {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name_it = factory.Sequence(lambda n: f"Organizzazione di prova {n}")
    kind = models.Organisation.Kind.REGION
    synthetic = True


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Network

    slug = factory.Sequence(lambda n: f"rete-{n}")
    name_it = factory.Sequence(lambda n: f"Rete di prova {n}")
    scope = models.Network.Scope.INTERREGIONAL
    status = models.Network.Status.ACTIVE
    synthetic = True


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    title_it = factory.Sequence(lambda n: f"Progetto di prova {n}")
    kind = models.Project.Kind.INTERREGIONAL
    status = models.Project.Status.ACTIVE
    period = factory.SubFactory(PeriodFactory)
    fund = factory.SubFactory(FundFactory)
    synthetic = True


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partnership

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = models.Partnership.Role.PARTNER
    synthetic = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR
