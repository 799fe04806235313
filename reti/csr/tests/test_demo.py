"""`reti demo`'s CSR part: synthetic companies, assessments in several states, attestations."""

import pytest

from .. import demo
from ..models import Attestation, Candidacy, Company, CsrAssessment, Facilitation, PrizeEdition

pytestmark = pytest.mark.django_db


def test_demo_makes_synthetic_companies_in_several_states_and_purges_them(csr, monkeypatch):
    monkeypatch.setitem(demo.COMPANIES, "small", 8)
    real = Company.objects.filter(synthetic=False).count()

    counts = demo.generate("small", seed=3)

    made = Company.objects.filter(synthetic=True, organisation__key__startswith="demo-rsi-")
    assert made.count() == counts["imprese"] == 8
    assert {c.region_id for c in made} == {csr.toscana_region.pk, csr.lazio_region.pk}
    states = set(CsrAssessment.objects.filter(company__in=made).values_list("state", flat=True))
    assert {"submitted", "validated"} <= states
    assert all(row.synthetic for row in CsrAssessment.objects.filter(company__in=made))
    assert Attestation.objects.filter(synthetic=True).count() == counts["attestazioni"]
    assert all("(demo)" in c.name for c in made)
    # Facilitations of the regions (up to three) and one prize edition with its winners.
    assert Facilitation.objects.filter(synthetic=True).count() == counts["agevolazioni"] == 6
    edition = PrizeEdition.objects.get(synthetic=True)
    assert edition.published_at is not None
    assert Candidacy.objects.filter(edition=edition).count() == counts["candidature"] > 0
    assert Candidacy.objects.filter(edition=edition, award="winner").exists()

    demo.purge()
    assert not Company.objects.filter(synthetic=True, organisation__key__startswith="demo-rsi-")
    assert Company.objects.filter(synthetic=False).count() == real
    assert not PrizeEdition.objects.exists() and not Facilitation.objects.exists()
