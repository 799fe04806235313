"""The back office of grids: versions written as YAML through the actions, published ones
read-only, committees for staff only."""

import pytest
from django.urls import reverse

from reti.grids.models import GridTemplate

pytestmark = pytest.mark.django_db


def _draft_of(catalogue, version=2):
    text = catalogue["practice-validation"].yaml.replace("version: 1", f"version: {version}", 1)
    return text.replace("status: published", "status: draft", 1)


def test_staff_add_a_draft_version_as_yaml_then_publish_it(client, cast, catalogue):
    client.force_login(cast.staff)
    response = client.post(reverse("admin:grids_gridtemplate_add"), {"yaml": _draft_of(catalogue)})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = GridTemplate.objects.get(code="practice-validation", version=2)
    assert draft.status == GridTemplate.Status.DRAFT
    assert draft.history.latest().history_change_reason == "back office"
    client.post(
        reverse("admin:grids_gridtemplate_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == GridTemplate.Status.PUBLISHED


def test_bad_yaml_shows_its_problems_and_saves_nothing(client, cast, catalogue):
    client.force_login(cast.staff)
    text = _draft_of(catalogue).replace("kind: criterion", "kind: sconosciuto", 1)
    response = client.post(reverse("admin:grids_gridtemplate_add"), {"yaml": text})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["yaml"]
    assert not GridTemplate.objects.filter(version=2).exists()


def test_a_published_version_is_read_only(client, cast, catalogue):
    client.force_login(cast.staff)
    published = catalogue["csr-prize"]
    url = reverse("admin:grids_gridtemplate_change", args=[published.pk])
    response = client.post(url, {"yaml": published.yaml + "\n# changed\n"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert "# changed" not in published.yaml


def test_others_do_not_reach_the_grids_back_office(client, cast, catalogue):
    client.force_login(cast.toscana_officer)
    url = reverse("admin:grids_gridtemplate_add")
    assert client.post(url, {"yaml": _draft_of(catalogue)}).status_code == 403
    assert client.get(reverse("admin:grids_committee_add")).status_code == 403
