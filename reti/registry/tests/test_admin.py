"""The back office: who enters, who changes which record, and what the audit trail keeps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from reti.lib.admin import LargeTablePaginator
from reti.registry.models import Network, Organisation, Partnership, Project, Territory
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def change_form_data(response, **changes) -> dict:
    """The POST a browser would send back from an admin change page, with `changes` applied."""
    data = {}

    def add(bound_field):
        value = bound_field.value()
        if value is None:
            value = ""
        if value is False:
            return
        if value is True:
            value = "on"
        data[bound_field.html_name] = value

    for bound_field in response.context["adminform"].form:
        add(bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            add(bound_field)
        for form in formset.forms:
            for bound_field in form:
                add(bound_field)
    data.update(changes)
    return data


def project_url(project):
    return reverse("admin:registry_project_change", args=[project.pk])


class TestEntering:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    @pytest.mark.parametrize("who", ["viewer", "outsider"])
    def test_non_editors_are_kept_out(self, client, cast, who):
        client.force_login(getattr(cast, who))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    @pytest.mark.parametrize("who", ["viewer", "outsider"])
    def test_non_editors_cannot_log_in(self, client, cast, who):
        response = client.post(
            reverse("admin:login"),
            {"username": getattr(cast, who).username, "password": "test-password-1"},
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_editor_logs_in_without_being_staff(self, client, cast):
        assert not cast.toscana_officer.is_staff
        response = client.post(
            reverse("admin:login"),
            {"username": "toscana", "password": "test-password-1"},
        )
        assert response.status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200

    def test_editor_sees_registry_but_not_memberships(self, client, cast):
        client.force_login(cast.toscana_officer)
        page = client.get(reverse("admin:index")).content.decode()
        assert reverse("admin:registry_project_changelist") in page
        assert reverse("admin:accounts_membership_changelist") not in page
        assert reverse("admin:registry_person_changelist") not in page


class TestProjectChange:
    def test_lead_region_officer_changes_its_project(self, client, cast):
        project = cast.toscana_project
        client.force_login(cast.toscana_officer)
        page = client.get(project_url(project))
        assert page.status_code == 200
        response = client.post(
            project_url(project), change_form_data(page, title_it="Titolo cambiato dalla Toscana")
        )
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.title_it == "Titolo cambiato dalla Toscana"
        entry = project.history.latest()
        assert entry.history_user == cast.toscana_officer
        assert entry.history_change_reason == "back office"

    def test_other_region_officer_sees_it_read_only(self, client, cast):
        client.force_login(cast.lazio_officer)
        response = client.get(project_url(cast.toscana_project))
        assert response.status_code == 200
        assert not response.context["has_change_permission"]
        assert 'name="_save"' not in response.content.decode()

    def test_other_region_officer_gets_403_and_nothing_changes(self, client, cast):
        project = cast.toscana_project
        client.force_login(cast.toscana_officer)
        data = change_form_data(client.get(project_url(project)), title_it="Titolo del Lazio")
        entries = project.history.count()
        client.force_login(cast.lazio_officer)
        response = client.post(project_url(project), data)
        assert response.status_code == 403
        project.refresh_from_db()
        assert project.title_it == "Progetto guidato dalla Toscana"
        assert project.history.count() == entries

    @pytest.mark.parametrize("who", ["viewer", "outsider"])
    def test_non_editors_change_nothing(self, client, cast, who):
        project = cast.toscana_project
        client.force_login(cast.staff)
        data = change_form_data(client.get(project_url(project)), title_it="Cambiato")
        client.force_login(getattr(cast, who))
        response = client.post(project_url(project), data)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
        project.refresh_from_db()
        assert project.title_it == "Progetto guidato dalla Toscana"

    def test_anonymous_post_is_sent_to_login(self, client, cast):
        response = client.post(project_url(cast.toscana_project), {"title_it": "Anonimo"})
        assert response.status_code == 302
        cast.toscana_project.refresh_from_db()
        assert cast.toscana_project.title_it == "Progetto guidato dalla Toscana"

    def test_staff_changes_any_project(self, client, cast):
        project = cast.lazio_project
        client.force_login(cast.staff)
        page = client.get(project_url(project))
        response = client.post(project_url(project), change_form_data(page, status="completed"))
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.status == "completed"
        assert project.history.latest().history_user == cast.staff

    def test_lead_officer_adds_a_partner_inline_with_audit_user(self, client, cast):
        project = cast.toscana_project
        newcomer = f.OrganisationFactory(name_it="Regione Umbria (prova)")
        client.force_login(cast.toscana_officer)
        data = change_form_data(client.get(project_url(project)))
        index = int(data["partnerships-TOTAL_FORMS"])
        data.update(
            {
                "partnerships-TOTAL_FORMS": str(index + 1),
                f"partnerships-{index}-organisation": str(newcomer.pk),
                f"partnerships-{index}-role": "partner",
                f"partnerships-{index}-project": str(project.pk),
            }
        )
        assert client.post(project_url(project), data).status_code == 302
        partnership = Partnership.objects.get(project=project, organisation=newcomer)
        assert partnership.history.get().history_user == cast.toscana_officer

    def test_lead_officer_deletes_its_project_but_not_others(self, client, cast):
        client.force_login(cast.toscana_officer)
        url = reverse("admin:registry_project_delete", args=[cast.lazio_project.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert Project.objects.filter(pk=cast.lazio_project.pk).exists()
        url = reverse("admin:registry_project_delete", args=[cast.toscana_project.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
        deleted = Project.history.filter(id=cast.toscana_project.pk, history_type="-").get()
        assert deleted.history_user == cast.toscana_officer


class TestProjectAdd:
    def _add(self, client, **fields):
        period = f.PeriodFactory()
        data = {
            "title_it": "Nuovo progetto",
            "kind": "interregional",
            "status": "planned",
            "period": str(period.pk),
            "partnerships-TOTAL_FORMS": "0",
            "partnerships-INITIAL_FORMS": "0",
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
            **fields,
        }
        return client.post(reverse("admin:registry_project_add"), data)

    def test_editor_creates_a_project_led_by_its_region(self, client, cast):
        client.force_login(cast.toscana_officer)
        response = self._add(client, lead=str(cast.toscana.pk))
        assert response.status_code == 302
        project = Project.objects.get(title_it="Nuovo progetto")
        assert project.partnerships.get().organisation == cast.toscana
        assert project.history.get().history_user == cast.toscana_officer

    @pytest.mark.parametrize("who", ["staff", "toscana_officer"])
    def test_add_page_opens(self, client, cast, who):
        client.force_login(getattr(cast, who))
        response = client.get(reverse("admin:registry_project_add"))
        assert response.status_code == 200
        assert 'name="lead"' in response.content.decode()

    def test_staff_creates_a_project_with_any_lead(self, client, cast):
        client.force_login(cast.staff)
        response = self._add(client, lead=str(cast.lazio.pk))
        assert response.status_code == 302
        project = Project.objects.get(title_it="Nuovo progetto")
        assert project.partnerships.get(role="lead").organisation == cast.lazio

    def test_editor_cannot_make_another_region_lead(self, client, cast):
        client.force_login(cast.toscana_officer)
        response = self._add(client, lead=str(cast.lazio.pk))
        assert response.status_code == 200
        assert "lead" in response.context["adminform"].form.errors
        assert not Project.objects.filter(title_it="Nuovo progetto").exists()


class TestNetworkChange:
    def network_url(self, network):
        return reverse("admin:registry_network_change", args=[network.pk])

    def test_secretariat_changes_its_network(self, client, cast):
        client.force_login(cast.secretariat)
        page = client.get(self.network_url(cast.network))
        data = change_form_data(page, acronym="RETE")
        assert client.post(self.network_url(cast.network), data).status_code == 302
        cast.network.refresh_from_db()
        assert cast.network.acronym == "RETE"
        assert cast.network.history.latest().history_user == cast.secretariat

    def test_region_officer_gets_403(self, client, cast):
        client.force_login(cast.staff)
        data = change_form_data(client.get(self.network_url(cast.network)), acronym="NO")
        client.force_login(cast.toscana_officer)
        assert client.post(self.network_url(cast.network), data).status_code == 403
        assert Network.objects.get(pk=cast.network.pk).acronym == ""

    def test_only_staff_add_networks(self, client, cast):
        client.force_login(cast.secretariat)
        assert client.get(reverse("admin:registry_network_add")).status_code == 403
        client.force_login(cast.staff)
        assert client.get(reverse("admin:registry_network_add")).status_code == 200


class TestOrganisationChange:
    def test_region_officer_changes_own_region_not_another(self, client, cast):
        client.force_login(cast.staff)
        url = reverse("admin:registry_organisation_change", args=[cast.lazio.pk])
        data = change_form_data(client.get(url), acronym="LAZ")
        client.force_login(cast.toscana_officer)
        assert client.post(url, data).status_code == 403
        assert Organisation.objects.get(pk=cast.lazio.pk).acronym == ""
        client.force_login(cast.lazio_officer)
        assert client.post(url, data).status_code == 302
        assert Organisation.objects.get(pk=cast.lazio.pk).acronym == "LAZ"

    def test_invalid_tax_code_is_a_form_error(self, client, cast):
        client.force_login(cast.toscana_officer)
        url = reverse("admin:registry_organisation_change", args=[cast.toscana.pk])
        response = client.post(url, change_form_data(client.get(url), tax_code="12345678901"))
        assert response.status_code == 200
        assert "tax_code" in response.context["adminform"].form.errors


class TestTerritories:
    def test_staff_reads_but_only_superusers_change(self, client, cast):
        territory = f.TerritoryFactory(name_it="Territorio di prova")
        url = reverse("admin:registry_territory_change", args=[territory.pk])
        client.force_login(cast.staff)
        assert client.get(url).status_code == 200
        data = {"code": territory.code, "level": "region", "name_it": "Cambiato"}
        assert client.post(url, data).status_code == 403
        assert Territory.objects.get(pk=territory.pk).name_it == "Territorio di prova"


class TestHistoryPage:
    def test_shows_who_changed_what(self, client, cast):
        project = cast.toscana_project
        client.force_login(cast.toscana_officer)
        page = client.get(project_url(project))
        client.post(project_url(project), change_form_data(page, title_it="Titolo nuovo"))
        url = reverse("admin:registry_project_history", args=[project.pk])
        content = client.get(url).content.decode()
        assert "Progetto guidato dalla Toscana" in content
        assert "Titolo nuovo" in content
        assert "toscana" in content

    def test_past_versions_cannot_be_saved_back(self, client, cast):
        project = cast.toscana_project
        version = project.history.earliest()
        url = reverse("admin:registry_project_simple_history", args=[project.pk, version.pk])
        client.force_login(cast.staff)
        assert client.get(url).status_code == 200
        assert client.post(url, {"title_it": "Ripristino"}).status_code == 405
        project.refresh_from_db()
        assert project.title_it == "Progetto guidato dalla Toscana"


class TestListsStayFast:
    def _queries(self, client, django_assert_max_num_queries, url, limit):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200

    def test_project_list_queries_do_not_grow_with_rows(
        self, client, cast, django_assert_max_num_queries
    ):
        for _ in range(30):
            f.PartnershipFactory(role="lead")
        client.force_login(cast.toscana_officer)
        url = reverse("admin:registry_project_changelist")
        self._queries(client, django_assert_max_num_queries, url, 12)
        self._queries(client, django_assert_max_num_queries, url + "?editable=1&status=active", 12)

    def test_organisation_list_queries_do_not_grow_with_rows(
        self, client, cast, django_assert_max_num_queries
    ):
        territory = f.TerritoryFactory()
        f.OrganisationFactory.create_batch(30, territory=territory)
        client.force_login(cast.staff)
        url = reverse("admin:registry_organisation_changelist")
        self._queries(client, django_assert_max_num_queries, url, 10)

    def test_project_page_queries_do_not_grow_with_partners(self, client, cast):
        project = cast.toscana_project
        url = reverse("admin:registry_project_change", args=[project.pk])
        client.force_login(cast.staff)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for _ in range(8):
            f.PartnershipFactory(project=project, role="partner")
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(many.captured_queries) == len(few.captured_queries)
        # Every partner is still shown, labelled, in its row.
        for partnership in project.partnerships.select_related("organisation"):
            assert escape(str(partnership.organisation)) in response.content.decode()


class TestLargeTablePaginator:
    def test_counts_exactly_when_filtered_or_small(self, cast):
        projects = Project.objects.order_by("-id")
        assert LargeTablePaginator(projects, 50).count == 2
        filtered = projects.filter(title_it__startswith="Progetto guidato dalla")
        paginator = LargeTablePaginator(filtered, 50)
        paginator.estimate_above = 0
        assert paginator.count == 1

    def test_uses_postgresql_statistics_for_a_whole_table(self, cast):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite counts exactly")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_project")
        paginator = LargeTablePaginator(Project.objects.order_by("-id"), 50)
        paginator.estimate_above = 0
        with CaptureQueriesContext(connection) as queries:
            assert paginator.count == 2
        assert len(queries.captured_queries) == 1
        assert "reltuples" in queries.captured_queries[0]["sql"]
