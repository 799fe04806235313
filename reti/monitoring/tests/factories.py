"""Factories for monitoring records; synthetic data only."""

import datetime

import factory
from django.contrib.auth.models import Group, Permission

from reti.monitoring import pseudonym
from reti.monitoring.models import Intervention, ParticipantRecord
from reti.registry import models as registry
from reti.registry.tests import factories as f


def region(code: str = "09", name: str = "Toscana") -> registry.Territory:
    """A region under its macro-area, enough for the snapshot's region and macro-area."""
    macro_code = {"09": "ITI", "12": "ITI", "03": "ITC", "15": "ITF", "021": "ITH"}.get(code, "ITI")
    macro = f.TerritoryFactory(
        code=macro_code, level=registry.Territory.Level.MACRO_AREA, name_it=f"Macro {macro_code}"
    )
    level = (
        registry.Territory.Level.AUTONOMOUS_PROVINCE
        if len(code) == 3
        else registry.Territory.Level.REGION
    )
    return f.TerritoryFactory(code=code, level=level, name_it=name, parent=macro)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    code = factory.Sequence(lambda n: f"INT-PROVA-{n:04d}")
    title_it = factory.Sequence(lambda n: f"Intervento di prova {n}")
    organisation = factory.SubFactory(f.OrganisationFactory)
    region = factory.LazyFunction(region)
    period = factory.SubFactory(f.PeriodFactory, code="2021-2027", start_year=2021, end_year=2027)
    fund = factory.SubFactory(f.FundFactory, code="FSE+", name_it="Fondo sociale europeo Plus")
    instrument = Intervention.Instrument.ORDINARY_CALL
    start_date = datetime.date(2022, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    synthetic = True


# Valid codici fiscali of invented people, for the tests only.
FAKE_CODES = ["RSSMRA85T10A562S", "BNCLRA90A41H501F", "VRDGPP70C15F205N"]


class ParticipantRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantRecord

    intervention = factory.SubFactory(InterventionFactory)
    person_key = factory.Sequence(lambda n: pseudonym.key_of_checked(f"PERSON{n:010d}"))
    gender = ParticipantRecord.Gender.FEMALE
    age_at_entry = 30
    entry_date = datetime.date(2023, 3, 1)
    status_at_entry = ParticipantRecord.Status.UNEMPLOYED
    synthetic = True


def auditor(username: str = "auditor"):
    """A user in the auditors' group, holding monitoring.audit_participants."""
    group, _ = Group.objects.get_or_create(name="Revisori")
    group.permissions.add(Permission.objects.get(codename="audit_participants"))
    user = f.UserFactory(username=username)
    user.groups.add(group)
    return user
