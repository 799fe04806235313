"""The applicant's view: after the chair publishes the committee's results, the owner of a
subject reads the committee's sheet of its own subject, and nothing else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reti.grids import actions, permissions
from reti.grids.models import Committee

from .conftest import ANSWERS

pytestmark = pytest.mark.django_db


def test_only_the_chair_publishes_and_it_is_audited(cast, decided):
    committee = decided.grids.committee
    for user in (decided.grids.secretary, decided.grids.evaluator_a, cast.toscana_officer):
        with pytest.raises(PermissionDenied):
            actions.publish_results(user, committee)
    actions.publish_results(decided.grids.chair, committee, "Graduatoria approvata")
    committee.refresh_from_db()
    assert committee.results_published_at is not None
    last = committee.history.first()
    assert last.history_user == decided.grids.chair
    assert "Esiti della commissione pubblicati" in last.history_change_reason
    assert "Graduatoria approvata" in last.history_change_reason
    with pytest.raises(ValidationError):
        actions.publish_results(decided.grids.chair, committee)


def test_nothing_to_publish_before_a_consensus(grids):
    with pytest.raises(ValidationError):
        actions.publish_results(grids.chair, grids.committee)
    assert Committee.objects.get(pk=grids.committee.pk).results_published_at is None


def test_after_publication_the_consensus_is_final(cast, decided):
    actions.publish_results(decided.grids.chair, decided.grids.committee)
    with pytest.raises(ValidationError):
        actions.record_consensus(
            decided.grids.chair, decided.grids.committee, decided.grids.subject, ANSWERS, "x"
        )


def test_the_owner_sees_its_own_consensus_sheet_only_after_publication(cast, decided):
    owner, other = cast.toscana_officer, cast.lazio_officer
    assert not permissions.can_view_assessment(owner, decided.toscana)
    actions.publish_results(decided.grids.chair, decided.grids.committee)
    decided.toscana.committee.refresh_from_db()
    decided.lazio.committee.refresh_from_db()
    assert permissions.can_view_assessment(owner, decided.toscana)
    assert not permissions.can_view_assessment(owner, decided.lazio)
    assert permissions.can_view_assessment(other, decided.lazio)
    assert not permissions.can_view_assessment(other, decided.toscana)
    # The evaluators' own assessments of Toscana stay the committee's.
    evaluators = decided.toscana.__class__.objects.filter(
        committee=decided.grids.committee, subject_id=cast.toscana.pk, mode="expert"
    )
    assert evaluators.count() == 2
    assert not any(permissions.can_view_assessment(owner, a) for a in evaluators)
    # A viewer of Toscana (not an editor) and the network's secretariat do not see it.
    assert not permissions.can_view_assessment(cast.viewer, decided.toscana)
    assert not permissions.can_view_assessment(cast.secretariat, decided.toscana)


def test_publish_button_page_and_account_link(client, cast, decided):
    committee = decided.grids.committee
    client.force_login(decided.grids.chair)
    page = client.get(reverse("grids:committee_detail", args=[committee.pk])).content.decode()
    assert 'id="publish-results"' in page
    client.force_login(cast.toscana_officer)
    account = client.get(reverse("accounts:account")).content.decode()
    sheet = reverse("grids:assessment_sheet", args=[decided.toscana.pk])
    assert sheet not in account
    client.force_login(decided.grids.chair)
    response = client.post(
        reverse("grids:committee_publish", args=[committee.pk]), {"note": "Approvata"}
    )
    assert response.status_code == 302
    page = client.get(reverse("grids:committee_detail", args=[committee.pk])).content.decode()
    assert 'id="results-published"' in page and 'id="publish-results"' not in page
    client.force_login(cast.toscana_officer)
    account = client.get(reverse("accounts:account")).content.decode()
    assert sheet in account
    assert reverse("grids:assessment_sheet", args=[decided.lazio.pk]) not in account
    response = client.get(sheet)
    assert response.status_code == 200
    assert "Scheda di valutazione" in response.content.decode()


def test_back_office_freezes_the_ranking_rules_once_published(client, cast, decided):
    committee = decided.grids.committee
    url = reverse("admin:grids_committee_change", args=[committee.pk])
    client.force_login(cast.staff)
    assert 'name="ranking_seed"' in client.get(url).content.decode()
    actions.publish_results(decided.grids.chair, committee)
    page = client.get(url).content.decode()
    assert 'name="ranking_seed"' not in page and 'name="tie_breaks"' not in page
    assert committee.ranking_seed in page
