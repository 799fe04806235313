"""The CSR network's public page: grids, validated companies by region under disclosure
control, facilitations by region, prize editions and winners; anonymous, Italian and English."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from .. import network

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_network_page_in_both_languages(client, csr, validated):
    page = client.get(reverse("csr:network")).content.decode()
    assert "La rete RSI" in page and "Imprese validate per regione" in page
    assert "csr-self-assessment" in page or "autovalutazione" in page.lower()
    with translation.override("en"):
        english = client.get(reverse("csr:network")).content.decode()
    assert "The CSR network" in english and "Validated companies by region" in english


@override_settings(MONITORING_SUPPRESSION_THRESHOLD=5)
def test_a_region_with_few_validated_companies_shows_no_count(csr, validated):
    table, total = network.validated_by_region()
    assert [row["region"] for row in table] == [csr.toscana_region.name_it]
    assert table[0]["count"] is None and total is None  # one company: below the threshold


@override_settings(MONITORING_SUPPRESSION_THRESHOLD=1)
def test_counts_show_at_or_above_the_threshold(client, csr, validated):
    table, total = network.validated_by_region()
    assert table[0]["count"] == 1 and total == 1
