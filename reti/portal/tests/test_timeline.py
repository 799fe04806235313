"""The timeline: the presentation's records by period, synthetic ones only counted."""

import pytest
from django.urls import reverse
from django.utils import translation

from reti.registry.models import ProgrammingPeriod, Project
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def timeline_url(language: str = "it") -> str:
    with translation.override(language):
        return reverse("portal:timeline")


def period_section(page: str, code: str) -> str:
    return page.split(f'id="period-{code}"')[1].split("</li>\n    \n")[0]


def test_presentation_records_by_period_and_synthetic_counts(
    client, presentation, django_assert_max_num_queries
):
    period = ProgrammingPeriod.objects.get(code="2014-2020")
    f.ProjectFactory.create_batch(3, period=period, synthetic=True)
    with django_assert_max_num_queries(6):
        page = client.get(timeline_url()).content.decode()
    codes = [p.code for p in ProgrammingPeriod.objects.all()]
    assert [page.index(f'id="period-{code}"') for code in codes] == sorted(
        page.index(f'id="period-{code}"') for code in codes
    )
    older = period_section(page, "2000-2006")
    small_grants = Project.objects.get(key="sg-piccoli-sussidi")
    assert reverse("portal:project_detail", args=[small_grants.pk]) in older
    current = period_section(page, "2007-2013")
    assert reverse("portal:network_detail", args=["esfconet"]) in current
    assert "Oltre il Confine" in current
    later = period_section(page, "2014-2020")
    assert "3 progetti" in later
    # Synthetic projects are counted, never listed.
    for project in Project.objects.filter(synthetic=True):
        assert reverse("portal:project_detail", args=[project.pk]) not in page


def test_english_timeline(client, presentation):
    page = client.get(timeline_url("en")).content.decode()
    assert "Timeline" in page
    assert "Beyond the Border" in page
