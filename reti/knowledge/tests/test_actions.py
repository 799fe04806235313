"""The lifecycle of a practice through the actions, with its audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from reti.knowledge import actions
from reti.knowledge.models import GoodPractice, Transfer
from reti.registry.tests import factories as rf

pytestmark = pytest.mark.django_db
State = GoodPractice.State


def test_an_author_creates_a_draft_with_the_acting_user_in_history(cast):
    theme = rf.ThemeFactory()
    practice = actions.create_practice(
        cast.toscana_officer,
        GoodPractice(title_it="Nuova pratica", lead_organisation=cast.toscana),
        m2m={"themes": [theme]},
    )
    assert practice.state == State.DRAFT
    assert list(practice.themes.all()) == [theme]
    assert practice.history.first().history_user == cast.toscana_officer


def test_a_wrong_user_cannot_create_for_another_organisation(cast):
    with pytest.raises(PermissionDenied):
        actions.create_practice(
            cast.lazio_officer, GoodPractice(title_it="X", lead_organisation=cast.toscana)
        )
    assert not GoodPractice.objects.exists()


def test_full_lifecycle(cast, draft, django_capture_on_commit_callbacks):
    actions.submit_practice(cast.toscana_officer, draft)
    actions.validate_practice(cast.secretariat, draft, "Pratica completa e documentata.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_practice(cast.secretariat, draft)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert draft.validation_comment == "Pratica completa e documentata."
    reasons = [h.history_change_reason for h in draft.history.order_by("history_id")]
    assert reasons[-3:] == [
        "Inviata alla validazione",
        "Validata: Pratica completa e documentata.",
        "Pubblicata",
    ]
    assert draft.history.first().history_user == cast.secretariat


def test_the_trail_reads_in_the_readers_language_whatever_the_actors(client, cast, draft):
    with translation.override("en"):  # the secretariat works on the English pages
        actions.submit_practice(cast.toscana_officer, draft)
        actions.validate_practice(cast.secretariat, draft, "Completa.")
    assert draft.history.order_by("history_id").last().history_change_reason == (
        "Validata: Completa."
    )
    client.force_login(cast.toscana_officer)
    for language, reasons in (
        ("it", ("Validata: Completa.", "Inviata alla validazione")),
        ("en", ("Validated: Completa.", "Submitted for validation")),
    ):
        with translation.override(language):
            page = client.get(reverse("knowledge:practice_detail", args=[draft.pk])).content
        page = page.decode()
        versions = page[page.index('id="practice-versions"') :]
        for reason in reasons:
            assert reason in versions


def test_sent_back_with_reasons_then_edited_and_resubmitted(cast, submitted):
    actions.send_back_practice(cast.secretariat, submitted, "Mancano i risultati quantificati.")
    submitted.refresh_from_db()
    assert submitted.state == State.SENT_BACK
    assert submitted.sent_back_reason == "Mancano i risultati quantificati."
    submitted.results_it = "120 persone inserite al lavoro."
    actions.update_practice(cast.toscana_officer, submitted)
    actions.submit_practice(cast.toscana_officer, submitted)
    assert GoodPractice.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_validation_needs_a_comment_and_sending_back_needs_reasons(cast, submitted):
    with pytest.raises(ValidationError) as error:
        actions.validate_practice(cast.secretariat, submitted, "  ")
    assert "comment" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.send_back_practice(cast.secretariat, submitted, "")
    assert "reasons" in error.value.message_dict
    assert GoodPractice.objects.get(pk=submitted.pk).state == State.SUBMITTED


@pytest.mark.parametrize("who", ["lazio_officer", "toscana_officer", "outsider"])
def test_wrong_users_cannot_validate(cast, submitted, who):
    with pytest.raises(PermissionDenied):
        actions.validate_practice(getattr(cast, who), submitted, "ok")
    assert GoodPractice.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_submitting_needs_a_network(cast):
    practice = actions.create_practice(
        cast.toscana_officer, GoodPractice(title_it="Senza rete", lead_organisation=cast.toscana)
    )
    with pytest.raises(ValidationError) as error:
        actions.submit_practice(cast.toscana_officer, practice)
    assert "network" in error.value.message_dict


def test_authors_cannot_edit_once_submitted(cast, submitted):
    submitted.title_it = "Cambiato"
    with pytest.raises(PermissionDenied):
        actions.update_practice(cast.toscana_officer, submitted)
    assert GoodPractice.objects.get(pk=submitted.pk).title_it != "Cambiato"


def test_region_is_derived_from_the_territory(cast):
    region = rf.TerritoryFactory(code="09", name_it="Toscana")
    province = rf.TerritoryFactory(code="048", level="province", name_it="Firenze", parent=region)
    practice = actions.create_practice(
        cast.toscana_officer,
        GoodPractice(title_it="Locale", lead_organisation=cast.toscana, territory=province),
    )
    assert practice.region == region


def test_recording_a_transfer(cast, published):
    transfer = actions.record_transfer(
        cast.lazio_officer,
        Transfer(
            practice=published,
            adopting_organisation=cast.lazio,
            stage=Transfer.Stage.STUDY_VISIT,
            adapted_it="Adattata ai centri per l'impiego del Lazio.",
        ),
    )
    assert transfer.history.first().history_user == cast.lazio_officer


def test_an_outsider_cannot_record_a_transfer(cast, published):
    with pytest.raises(PermissionDenied):
        actions.record_transfer(
            cast.outsider,
            Transfer(practice=published, adopting_organisation=cast.lazio, stage="interest"),
        )
    assert not Transfer.objects.exists()


def test_the_lead_cannot_adopt_its_own_practice(cast, published):
    with pytest.raises(ValidationError) as error:
        actions.record_transfer(
            cast.toscana_officer,
            Transfer(practice=published, adopting_organisation=cast.toscana, stage="interest"),
        )
    assert "adopting_organisation" in error.value.message_dict
