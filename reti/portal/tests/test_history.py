"""The public history page of a registry record: who, when, what changed."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from reti.registry import actions
from reti.registry.models import Project
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def history_url(kind: str, pk: int) -> str:
    return reverse("portal:record_history", kwargs={"kind": kind, "pk": pk})


@pytest.fixture
def changed_project(cast):
    """Toscana's project, renamed and closed by Toscana's officer."""
    project = cast.toscana_project
    project.title_it = "Titolo rivisto dalla Toscana"
    project.status = Project.Status.COMPLETED
    actions.save_project(cast.toscana_officer, project, reason="revisione annuale")
    return project


def test_public_sees_the_change_without_the_username(client, changed_project):
    response = client.get(history_url("progetti", changed_project.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Progetto guidato dalla Toscana" in page
    assert "Titolo rivisto dalla Toscana" in page
    assert "In corso" in page and "Concluso" in page  # choices shown by their label
    assert "revisione annuale" in page
    assert "Modifica" in page
    assert "utente registrato" in page
    assert "toscana" not in page.replace("Toscana", "")


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_non_editors_do_not_see_usernames(client, cast, changed_project, who):
    client.force_login(getattr(cast, who))
    page = client.get(history_url("progetti", changed_project.pk)).content.decode()
    assert "utente registrato" in page
    assert ">toscana<" not in page


@pytest.mark.parametrize("who", ["lazio_officer", "staff"])
def test_editors_and_staff_see_usernames(client, cast, changed_project, who):
    client.force_login(getattr(cast, who))
    page = client.get(history_url("progetti", changed_project.pk)).content.decode()
    assert ">toscana<" in page


def test_only_who_may_edit_gets_the_back_office_link(client, cast, changed_project):
    edit = reverse("admin:registry_project_change", args=[changed_project.pk])
    client.force_login(cast.lazio_officer)
    assert edit not in client.get(history_url("progetti", changed_project.pk)).content.decode()
    client.force_login(cast.toscana_officer)
    assert edit in client.get(history_url("progetti", changed_project.pk)).content.decode()


def test_changes_without_a_user_are_by_the_system(client):
    network = f.NetworkFactory(name_it="Rete caricata da comando")
    page = client.get(history_url("reti", network.pk)).content.decode()
    assert "sistema" in page
    assert "Creazione" in page


def test_many_to_many_changes_show_names(client, cast):
    theme = f.ThemeFactory(name_it="Inclusione sociale di prova")
    actions.save_project(cast.staff, cast.toscana_project, m2m={"themes": [theme]})
    page = client.get(history_url("progetti", cast.toscana_project.pk)).content.decode()
    assert "Inclusione sociale di prova" in page


def test_deleted_record_keeps_its_history(client, cast):
    pk = cast.lazio_project.pk
    actions.delete_record(cast.lazio_officer, cast.lazio_project, reason="doppione")
    page = client.get(history_url("progetti", pk)).content.decode()
    assert "Eliminazione" in page
    assert "doppione" in page
    assert "Progetto guidato dal Lazio" in page


def test_english_page(client, changed_project):
    with translation.override("en"):
        url = history_url("progetti", changed_project.pk)
    page = client.get(url).content.decode()
    assert "History of changes" in page
    assert "registered user" in page


def test_unknown_kind_record_or_personal_data_is_404(client, cast):
    assert client.get(history_url("persone", cast.toscana.pk)).status_code == 404
    assert client.get(history_url("unknown", 1)).status_code == 404
    assert client.get(history_url("progetti", 999999)).status_code == 404


def test_history_refuses_post(client, changed_project):
    assert client.post(history_url("progetti", changed_project.pk)).status_code == 405


def test_history_entries_have_no_back_office_page(changed_project):
    entry = changed_project.history.latest()
    with pytest.raises(NoReverseMatch):
        reverse("admin:registry_historicalproject_change", args=[entry.pk])


def test_record_without_entries_shows_an_empty_history(client, cast):
    project = cast.lazio_project
    project.history.all().delete()
    response = client.get(history_url("progetti", project.pk))
    assert response.status_code == 200
    assert "Progetto guidato dal Lazio" in response.content.decode()
    assert list(response.context["entries"]) == []
