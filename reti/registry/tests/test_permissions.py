import pytest
from django.contrib.auth.models import AnonymousUser

from reti.registry import permissions


@pytest.mark.django_db
class TestProjectPermissions:
    def test_lead_region_officer_edits_its_project(self, cast):
        assert permissions.can_edit_project(cast.toscana_officer, cast.toscana_project)

    def test_partner_region_officer_does_not_edit(self, cast):
        assert not permissions.can_edit_project(cast.lazio_officer, cast.toscana_project)

    @pytest.mark.parametrize("who", ["viewer", "outsider", "secretariat"])
    def test_others_do_not_edit(self, cast, who):
        assert not permissions.can_edit_project(getattr(cast, who), cast.toscana_project)

    def test_anonymous_does_not_edit(self, cast):
        assert not permissions.can_edit_project(AnonymousUser(), cast.toscana_project)

    def test_staff_edits_everything(self, cast):
        assert permissions.can_edit_project(cast.staff, cast.lazio_project)


@pytest.mark.django_db
class TestNetworkPermissions:
    def test_secretariat_edits_its_network(self, cast):
        assert permissions.can_edit_network(cast.secretariat, cast.network)

    @pytest.mark.parametrize("who", ["toscana_officer", "lazio_officer", "viewer", "outsider"])
    def test_others_do_not_edit(self, cast, who):
        assert not permissions.can_edit_network(getattr(cast, who), cast.network)

    def test_anonymous_does_not_edit(self, cast):
        assert not permissions.can_edit_network(AnonymousUser(), cast.network)
