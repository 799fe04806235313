"""The back office of practices: the same rules as the portal, saves through the actions."""

import pytest
from django.urls import reverse

from reti.knowledge.models import GoodPractice, PracticeResult

pytestmark = pytest.mark.django_db


def _form(cast, **changes):
    data = {
        "title_it": "Pratica dal back office",
        "status_it": "original",
        "status_en": "missing",
        "lead_organisation": cast.toscana.pk,
        "network": cast.network.pk,
    }
    for prefix in ("figures", "contacts", "links", "attachments"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {
        "figures-TOTAL_FORMS": "1",
        "figures-0-label_it": "Persone occupate",
        "figures-0-value": "42",
    }
    return data | changes


def test_an_author_creates_a_practice_with_a_result(client, cast):
    client.force_login(cast.toscana_officer)
    response = client.post(reverse("admin:knowledge_goodpractice_add"), _form(cast))
    assert response.status_code == 302, response.content.decode()[:2000]
    practice = GoodPractice.objects.get(title_it="Pratica dal back office")
    assert practice.state == GoodPractice.State.DRAFT
    assert PracticeResult.objects.get(practice=practice).value == 42
    assert practice.history.first().history_change_reason == "back office"


def test_another_organisation_is_refused(client, cast):
    client.force_login(cast.lazio_officer)
    response = client.post(reverse("admin:knowledge_goodpractice_add"), _form(cast))
    assert response.status_code == 403
    assert not GoodPractice.objects.exists()


def test_a_submitted_practice_is_read_only_for_its_author(client, cast, submitted):
    client.force_login(cast.toscana_officer)
    url = reverse("admin:knowledge_goodpractice_change", args=[submitted.pk])
    response = client.post(url, _form(cast, title_it="Cambiata"))
    assert response.status_code == 403
    assert GoodPractice.objects.get(pk=submitted.pk).title_it != "Cambiata"


def test_others_drafts_are_not_listed(client, cast, draft):
    client.force_login(cast.lazio_officer)
    page = client.get(reverse("admin:knowledge_goodpractice_changelist")).content.decode()
    assert draft.title_it not in page
    client.force_login(cast.outsider)
    response = client.get(reverse("admin:knowledge_goodpractice_changelist"))
    assert response.status_code in (302, 403)
