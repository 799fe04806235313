"""The database refuses what a participant record can never be."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from reti.monitoring.models import ParticipantRecord
from reti.monitoring.tests.factories import InterventionFactory, ParticipantRecordFactory

pytestmark = pytest.mark.django_db


def _refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantRecordFactory(**fields)


def test_a_person_is_recorded_once_per_intervention():
    record = ParticipantRecordFactory()
    _refused(intervention=record.intervention, person_key=record.person_key)
    # The same person in another intervention is another record.
    ParticipantRecordFactory(person_key=record.person_key)
    assert ParticipantRecord.objects.filter(person_key=record.person_key).count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"age_at_entry": 121},
        {"exit_date": datetime.date(2023, 2, 1)},  # before the entry
        {"gender": "unknown"},
        {"status_at_entry": "student"},
        {"status_at_entry": "employed", "long_term_unemployed": True},
        {"status_at_entry": "unemployed", "inactive_not_in_education": True},
        {"isced": 9},
        {"followup_observed_on": datetime.date(2024, 1, 1), "followup_employed": True},
    ],
    ids=[
        "age",
        "exit-before-entry",
        "gender",
        "status",
        "long-term-not-unemployed",
        "not-in-education-not-inactive",
        "isced",
        "followup-still-in",
    ],
)
def test_impossible_records_are_refused(fields):
    _refused(**fields)


def test_an_intervention_ends_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        InterventionFactory(
            start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2023, 1, 1)
        )


def test_intervention_changes_are_in_the_audit_trail(cast):
    intervention = InterventionFactory(organisation=cast.toscana)
    intervention._history_user = cast.staff
    intervention.title_it = "Titolo corretto"
    intervention.save()
    latest = intervention.history.first()
    assert latest.title_it == "Titolo corretto"
    assert latest.history_user == cast.staff
    assert intervention.history.count() == 2
