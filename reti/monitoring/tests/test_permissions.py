"""Participant-level data: the owner's editors and auditors only, with the cast."""

import pytest

from reti.monitoring import permissions
from reti.monitoring.tests.factories import auditor as make_auditor
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def test_owning_organisation_editor_reads_its_participants(cast, monitoring):
    assert permissions.can_view_participants(cast.toscana_officer, monitoring.toscana_intervention)
    assert permissions.can_export_participants(
        cast.toscana_officer, monitoring.toscana_intervention
    )
    assert permissions.can_upload(cast.toscana_officer, monitoring.toscana_intervention)


def test_another_region_does_not_read_them(cast, monitoring):
    assert not permissions.can_view_participants(
        cast.lazio_officer, monitoring.toscana_intervention
    )
    assert not permissions.can_upload(cast.lazio_officer, monitoring.toscana_intervention)
    assert permissions.can_view_participants(cast.lazio_officer, monitoring.lazio_intervention)


@pytest.mark.parametrize("who", ["secretariat", "viewer", "staff", "outsider"])
def test_everyone_else_is_refused(cast, monitoring, who):
    user = getattr(cast, who)
    intervention = monitoring.toscana_intervention
    assert not permissions.can_view_participants(user, intervention)
    assert not permissions.can_export_participants(user, intervention)
    assert not permissions.can_upload(user, intervention)


def test_anonymous_is_refused(monitoring):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.can_view_participants(anonymous, monitoring.toscana_intervention)
    assert not permissions.can_view_dashboards(anonymous)
    assert permissions.readable_intervention_ids(anonymous) == set()


def test_auditor_reads_and_exports_every_region_but_does_not_upload(monitoring):
    for intervention in (monitoring.toscana_intervention, monitoring.lazio_intervention):
        assert permissions.can_view_participants(monitoring.auditor, intervention)
        assert permissions.can_export_participants(monitoring.auditor, intervention)
        assert not permissions.can_upload(monitoring.auditor, intervention)
    assert permissions.readable_intervention_ids(monitoring.auditor) is None
    assert permissions.participant_interventions(monitoring.auditor).count() == 2


def test_inactive_auditor_is_refused(monitoring):
    monitoring.auditor.is_active = False
    monitoring.auditor.save()
    assert not permissions.can_view_participants(monitoring.auditor, monitoring.lazio_intervention)


def test_readable_interventions_are_the_owners(cast, monitoring):
    assert permissions.readable_intervention_ids(cast.toscana_officer) == {
        monitoring.toscana_intervention.pk
    }
    assert list(permissions.participant_interventions(cast.lazio_officer)) == [
        monitoring.lazio_intervention
    ]
    assert permissions.readable_intervention_ids(cast.secretariat) == set()


def test_dashboards_open_to_authorised_users_and_auditors(cast, monitoring):
    assert permissions.can_view_dashboards(cast.toscana_officer)
    assert permissions.can_view_dashboards(monitoring.auditor)
    assert not permissions.can_view_dashboards(cast.viewer)
    assert not permissions.can_view_dashboards(cast.outsider)


def test_only_superusers_or_dpo_erase_a_person(cast):
    assert not permissions.can_erase_person(cast.staff)
    assert not permissions.can_erase_person(cast.toscana_officer)
    assert not permissions.can_erase_person(make_auditor("another-auditor"))
    superuser = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    assert permissions.can_erase_person(superuser)
