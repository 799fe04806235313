"""Factories of the grants tests: a published call of a global grant, ready for applications."""

import datetime
import itertools

import factory
from django.utils import timezone
from stdnum import luhn

from reti.grants.models import (
    Call,
    CallLine,
    CostCategory,
    GlobalGrant,
    Programme,
    RankingEntry,
    RankingRun,
    RepresentationClaim,
    RequiredAttachment,
)
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

_serial = itertools.count(1000001)


def tax_code() -> str:
    """A fresh, valid 11-digit codice fiscale of an entity (synthetic)."""
    base = f"{next(_serial):07d}001"[:10]
    return base + luhn.calc_check_digit(base)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PR-PROVA-{n}")
    title_it = "Programma regionale FSE+ di prova"
    managing_authority = factory.SubFactory(f.OrganisationFactory)


class GlobalGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlobalGrant

    programme = factory.SubFactory(ProgrammeFactory)
    title_it = "Sovvenzione globale piccoli sussidi (prova)"
    intermediate_body = factory.SubFactory(
        f.OrganisationFactory, kind=Organisation.Kind.TECHNICAL_ASSISTANCE
    )
    agreement_act = "Convenzione n. 1/2026 (prova)"
    agreement_date = datetime.date(2026, 1, 15)
    allocation = "1000000.00"
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2028, 12, 31)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    global_grant = factory.SubFactory(GlobalGrantFactory)
    code = factory.Sequence(lambda n: f"sg-prova-{n}")
    title_it = "Bando piccoli sussidi (prova)"
    title_en = "Small grants call (test)"
    text_it = "Testo del bando di prova."
    status = Call.Status.PUBLISHED
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    min_grant = "5000.00"
    max_grant = "50000.00"
    cofinancing_rate = "0.2000"
    tie_breaks = ["submitted_at"]


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallLine

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    title_it = "Inclusione sociale"
    budget = "200000.00"


class CostCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostCategory

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name_it = "Personale"


class RequiredAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredAttachment

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title_it = "Statuto dell'ente"


def applicant(organisation, username: str):
    """A user whose claim to represent `organisation` is verified."""
    user = f.UserFactory(username=username)
    applicant_claim(user, organisation)
    return user


def applicant_claim(user, organisation) -> RepresentationClaim:
    """A verified claim of `user` to represent `organisation`."""
    return RepresentationClaim.objects.create(
        user=user,
        organisation=organisation,
        tax_code=organisation.tax_code or "",
        legal_representative="Rappresentante di prova",
        status=RepresentationClaim.Status.VERIFIED,
    )


class RankingRunFactory(factory.django.DjangoModelFactory):
    """A published final ranking run (its stored inputs and result are not read here)."""

    class Meta:
        model = RankingRun

    call = factory.SubFactory(CallFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = RankingRun.Kind.FINAL
    inputs = factory.LazyFunction(dict)
    rules = factory.LazyFunction(dict)
    result = factory.LazyFunction(dict)
    engine_version = "test"
    created_by = factory.SubFactory(f.UserFactory)
    created_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class RankingEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingEntry

    run = factory.SubFactory(RankingRunFactory)
    line = "L1"
    position = factory.Sequence(lambda n: n + 1)
    score = "80.000"
    status = RankingEntry.Status.FUNDED
    granted = "8000.00"


def funded(application, granted="8000.00", status=RankingEntry.Status.FUNDED):
    """`application` funded by a published final run of its call: its ranking entry."""
    run = RankingRun.objects.filter(call=application.call).order_by("-number").first()
    if run is None:
        run = RankingRunFactory(call=application.call, number=1)
    return RankingEntryFactory(run=run, application=application, granted=granted, status=status)
