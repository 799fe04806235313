"""The back office: staff add interventions, owners change theirs, others only look."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from reti.monitoring.models import IndicatorDefinition
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def test_owner_changes_its_intervention_and_the_change_is_audited(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    client.force_login(cast.toscana_officer)
    url = reverse("admin:monitoring_intervention_change", args=[intervention.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "implementers"}
    data.update(
        organisation=cast.toscana.pk,
        region=intervention.region_id,
        period=intervention.period_id,
        fund=intervention.fund_id,
        title_it="Nuovo titolo",
        start_date="2022-01-01",
        end_date="2026-12-31",
    )
    for prefix in ("target_groups", "targets", "supported_entities"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    intervention.refresh_from_db()
    assert intervention.title_it == "Nuovo titolo"
    assert intervention.history.first().history_user == cast.toscana_officer


def test_another_region_sees_the_intervention_read_only(client, cast, monitoring):
    client.force_login(cast.lazio_officer)
    url = reverse("admin:monitoring_intervention_change", args=[monitoring.toscana_intervention.pk])
    response = client.post(url, {"title_it": "Preso"})
    assert response.status_code == 403
    monitoring.toscana_intervention.refresh_from_db()
    assert monitoring.toscana_intervention.title_it != "Preso"


def test_staff_with_permission_add_a_programme_indicator(client):
    staff = f.UserFactory(username="indicators-staff", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_indicatordefinition", "change_indicatordefinition"]
        )
    )
    client.force_login(staff)
    response = client.post(
        reverse("admin:monitoring_indicatordefinition_add"),
        {
            "code": "TOS01",
            "name_it": "Partecipanti in esecuzione penale",
            "name_en": "Participants serving sentences",
            "subject": "participants",
            "kind": "output",
            "unit": "persons",
            "breakdowns": '["gender"]',
            "sql_key": "TOS01",
        },
    )
    assert response.status_code == 302
    indicator = IndicatorDefinition.objects.get(code="TOS01")
    assert indicator.history.first().history_user == staff


def test_participant_indicator_without_gender_is_refused(client, cast):
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:monitoring_indicatordefinition_add"),
        {
            "code": "TOS02",
            "name_it": "Senza genere",
            "name_en": "No gender",
            "subject": "participants",
            "kind": "output",
            "unit": "persons",
            "breakdowns": "[]",
        },
    )
    assert response.status_code == 200
    assert "disaggregato per genere" in response.content.decode()
    assert not IndicatorDefinition.objects.filter(code="TOS02").exists()


def test_an_editor_does_not_add_indicators(client, cast):
    client.force_login(cast.toscana_officer)
    assert client.get(reverse("admin:monitoring_indicatordefinition_add")).status_code == 403


def test_anonymous_is_sent_to_the_login(client, monitoring):
    url = reverse("admin:monitoring_intervention_changelist")
    assert client.get(url).status_code == 302
