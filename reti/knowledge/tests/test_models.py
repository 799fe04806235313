"""The database refuses records that break the rules, whatever door they come through."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reti.knowledge.models import Attachment, GoodPractice, PracticeContact, Transfer

from .factories import PracticeFactory, TransferFactory

pytestmark = pytest.mark.django_db


def _refused(**changes):
    practice = PracticeFactory()
    GoodPractice.objects.filter(pk=practice.pk).update(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"title_it": ""},
        {"amount": -1},
        {"state": "invented"},
        {"state": "sent_back", "sent_back_reason": ""},
        {"state": "submitted"},
        {"state": "published", "submitted_at": timezone.now(), "validated_at": timezone.now()},
        {"start_date": datetime.date(2012, 1, 1), "end_date": datetime.date(2011, 1, 1)},
    ],
)
def test_practice_constraints_refuse_bad_rows(changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        _refused(**changes)


def test_a_published_practice_with_its_dates_is_accepted():
    now = timezone.now()
    practice = PracticeFactory(
        state=GoodPractice.State.PUBLISHED, submitted_at=now, validated_at=now, published_at=now
    )
    assert GoodPractice.objects.get(pk=practice.pk).is_public


def test_free_text_contact_needs_consent():
    practice = PracticeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeContact.objects.create(practice=practice, name="Mario Rossi (sintetico)")
    contact = PracticeContact.objects.create(
        practice=practice,
        name="Mario Rossi (sintetico)",
        consent=True,
        consent_recorded_at=timezone.now(),
    )
    assert contact.is_public


def test_attachment_over_20_mb_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            practice=PracticeFactory(),
            file="x.pdf",
            original_name="x.pdf",
            kind="pdf",
            size=20 * 1024 * 1024 + 1,
        )


def test_one_transfer_per_practice_and_organisation():
    transfer = TransferFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            practice=transfer.practice,
            adopting_organisation=transfer.adopting_organisation,
            stage=Transfer.Stage.ADOPTED,
            start_date=datetime.date(2013, 1, 1),
        )


def test_every_version_of_a_practice_is_kept():
    practice = PracticeFactory(title_it="Prima versione")
    practice.title_it = "Seconda versione"
    practice.save()
    assert [h.title_it for h in practice.history.order_by("history_id")] == [
        "Prima versione",
        "Seconda versione",
    ]
