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


def test_a_demo_company_gains_the_csr_bonus_in_the_common_call_with_its_source(
    csr, grants, monkeypatch
):
    from reti.grants.models import Call
    from reti.grids.models import ConsensusRecord

    monkeypatch.setitem(demo.COMPANIES, "small", 8)
    monkeypatch.setattr(demo, "SOURCE_CALL", grants.call.code)

    counts = demo.generate("small", seed=3)

    call = Call.objects.get(code=demo.COMMON_CALL)
    assert call.synthetic and call.csr_bonus.node == "RSI"
    assert counts["domande con premialità RSI"] > 0
    holder = Attestation.objects.filter(synthetic=True, revoked_at=None).order_by("company")[0]
    record = ConsensusRecord.objects.get(
        committee=call.committee,
        subject_id=call.applications.get(organisation=holder.company.organisation).pk,
    )
    consensus = record.assessment
    bonus = next(entry for entry in consensus.trace if entry["node"] == "RSI")
    assert float(bonus["points"]) == 10
    assert holder.code in consensus.answers["RSI"]["justification"]
    # An applicant without an attestation gets no bonus, and says why.
    without = ConsensusRecord.objects.filter(committee=call.committee).exclude(pk=record.pk)
    assert any(r.assessment.answers["RSI"]["value"] is False for r in without)

    demo.purge()
    assert not Call.objects.filter(code=demo.COMMON_CALL).exists()
