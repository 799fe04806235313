"""The registry's use cases: permission, validation, atomicity and the audit trail."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from reti.registry import actions
from reti.registry.models import GoverningRole, Organisation, Partnership, Project
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def test_lead_officer_updates_project_and_the_audit_trail_names_them(cast):
    project = cast.toscana_project
    project.title_it = "Nuovo titolo"
    actions.save_project(cast.toscana_officer, project, reason="correzione")

    latest = project.history.latest()
    assert latest.title_it == "Nuovo titolo"
    assert latest.history_user == cast.toscana_officer
    assert latest.history_change_reason == "correzione"
    diff = latest.diff_against(latest.prev_record)
    assert [c.field for c in diff.changes] == ["title_it"]


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "outsider", "secretariat"])
def test_wrong_user_cannot_update_project_and_nothing_changes(cast, who):
    project = Project.objects.get(pk=cast.toscana_project.pk)
    before = project.history.count()
    project.title_it = "Titolo non autorizzato"
    with pytest.raises(PermissionDenied):
        actions.save_project(getattr(cast, who), project)
    project.refresh_from_db()
    assert project.title_it == "Progetto guidato dalla Toscana"
    assert project.history.count() == before


def test_anonymous_cannot_create_anything(cast):
    with pytest.raises(PermissionDenied):
        actions.save_organisation(AnonymousUser(), Organisation(name_it="X", kind="company"))
    with pytest.raises(PermissionDenied):
        actions.save_project(
            AnonymousUser(),
            Project(
                title_it="X",
                kind="interregional",
                status="active",
                period=cast.toscana_project.period,
            ),
            lead=cast.toscana,
        )


def test_editor_creates_a_project_led_by_their_region(cast):
    project = Project(
        title_it="Nuovo progetto toscano",
        kind="interregional",
        status="planned",
        period=cast.toscana_project.period,
    )
    actions.save_project(cast.toscana_officer, project, lead=cast.toscana)
    lead = Partnership.objects.get(project=project)
    assert (lead.organisation, lead.role) == (cast.toscana, Partnership.Role.LEAD)
    assert project.history.get().history_user == cast.toscana_officer


def test_editor_cannot_create_a_project_led_by_another_region(cast):
    project = Project(
        title_it="Progetto altrui",
        kind="interregional",
        status="planned",
        period=cast.toscana_project.period,
    )
    with pytest.raises(PermissionDenied):
        actions.save_project(cast.toscana_officer, project, lead=cast.lazio)
    assert not Project.objects.filter(title_it="Progetto altrui").exists()


def test_secretariat_edits_its_network_roles(cast):
    role = GoverningRole(
        network=cast.network,
        organisation=cast.toscana,
        role=GoverningRole.Role.MEMBER,
        start_date=dt.date(2012, 1, 1),
    )
    actions.save_record(cast.secretariat, role, reason="nuovo membro")
    assert role.history.get().history_user == cast.secretariat
    with pytest.raises(PermissionDenied):
        actions.save_record(cast.toscana_officer, role)


def test_moving_a_record_into_a_foreign_project_is_refused(cast):
    partnership = Partnership.objects.get(project=cast.lazio_project)
    partnership.project = cast.toscana_project
    with pytest.raises(PermissionDenied):
        actions.save_record(cast.toscana_officer, partnership)


class TestBadInput:
    def test_invalid_codice_fiscale_names_the_field(self, cast):
        org = Organisation(name_it="Ente", kind="company", tax_code="RSSMRA80A01H501X")
        with pytest.raises(ValidationError) as err:
            actions.save_organisation(cast.staff, org)
        assert "tax_code" in err.value.message_dict
        assert not Organisation.objects.filter(name_it="Ente").exists()

    def test_invalid_partita_iva_names_the_field(self, cast):
        org = Organisation(name_it="Ente", kind="company", vat_number="12345678901")
        with pytest.raises(ValidationError) as err:
            actions.save_organisation(cast.staff, org)
        assert "vat_number" in err.value.message_dict

    def test_valid_codes_are_compacted(self, cast):
        org = Organisation(
            name_it="Ente", kind="company", vat_number="005 1846 0019", tax_code="00518460019"
        )
        actions.save_organisation(cast.staff, org)
        org.refresh_from_db()
        assert (org.vat_number, org.tax_code) == ("00518460019", "00518460019")

    def test_duplicate_tax_code_is_refused(self, cast):
        actions.save_organisation(
            cast.staff, Organisation(name_it="A", kind="company", tax_code="00518460019")
        )
        with pytest.raises(ValidationError) as err:
            actions.save_organisation(
                cast.staff, Organisation(name_it="B", kind="company", tax_code="00518460019")
            )
        assert "tax_code" in err.value.message_dict

    def test_end_before_start_is_refused(self, cast):
        project = cast.toscana_project
        project.start_date, project.end_date = dt.date(2012, 1, 1), dt.date(2011, 1, 1)
        with pytest.raises(ValidationError):
            actions.save_project(cast.toscana_officer, project)

    def test_role_outside_network_lifetime_is_refused(self, cast):
        network = f.NetworkFactory(start_date=dt.date(2008, 1, 1), end_date=dt.date(2013, 12, 31))
        role = GoverningRole(
            network=network,
            organisation=cast.toscana,
            role=GoverningRole.Role.MEMBER,
            start_date=dt.date(2015, 1, 1),
        )
        with pytest.raises(ValidationError) as err:
            actions.save_record(cast.staff, role)
        assert "start_date" in err.value.message_dict

    def test_overlapping_presidencies_are_refused_and_rotation_is_kept(self, cast):
        first = GoverningRole(
            network=cast.network,
            organisation=cast.toscana,
            role=GoverningRole.Role.PRESIDENCY,
            start_date=dt.date(2010, 1, 1),
            end_date=dt.date(2011, 6, 30),
        )
        actions.save_record(cast.staff, first)
        clash = GoverningRole(
            network=cast.network,
            organisation=cast.lazio,
            role=GoverningRole.Role.PRESIDENCY,
            start_date=dt.date(2011, 1, 1),
        )
        with pytest.raises(ValidationError):
            actions.save_record(cast.staff, clash)
        clash.start_date = dt.date(2011, 7, 1)
        actions.save_record(cast.staff, clash)
        presidencies = cast.network.roles.filter(role="presidency").order_by("start_date")
        assert [r.organisation for r in presidencies] == [cast.toscana, cast.lazio]

    def test_second_lead_is_refused(self, cast):
        extra = Partnership(project=cast.toscana_project, organisation=cast.trento, role="lead")
        with pytest.raises(ValidationError):
            actions.save_record(cast.toscana_officer, extra)


def test_delete_keeps_the_last_state_in_the_audit_trail(cast):
    partnership = Partnership.objects.get(project=cast.toscana_project, organisation=cast.lazio)
    pk = partnership.pk
    actions.delete_record(cast.toscana_officer, partnership, reason="uscito dal partenariato")
    deleted = Partnership.history.filter(id=pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == cast.toscana_officer
    assert deleted.organisation_id == cast.lazio.pk


def test_only_staff_delete_organisations(cast):
    with pytest.raises(PermissionDenied):
        actions.delete_record(cast.toscana_officer, cast.toscana)
