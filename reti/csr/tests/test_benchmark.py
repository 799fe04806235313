"""The benchmark against similar companies, and the disclosure rule that guards it."""

from decimal import Decimal

import pytest

from ..benchmark import benchmark
from ..models import CompanyScore, CsrAssessment
from .factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _scored(csr, company, a1, section="K", size="small"):
    own = CsrAssessment.objects.filter(company=csr.company_a).first()
    return CompanyScore.objects.create(
        company=company,
        csr_assessment=own,
        ateco_section=section,
        size_class=size,
        a1=Decimal(a1),
        a2=Decimal(a1),
        total=Decimal(a1),
    )


@pytest.fixture
def peers(csr, submitted):
    def make(count, a1=50, **group):
        return [
            _scored(csr, CompanyFactory(region=csr.toscana_region), a1, **group)
            for _ in range(count)
        ]

    return make


def test_four_similar_companies_show_nothing(csr, peers):
    peers(4)
    found = benchmark(csr.company_a)
    assert not found.shown and found.means == {} and found.total is None


def test_five_similar_companies_show_rounded_means_without_the_company_itself(csr, peers):
    peers(4, a1=50)
    peers(1, a1=53)
    found = benchmark(csr.company_a)
    assert found.shown
    assert found.means["A1"] == Decimal(51)  # (4*50 + 53) / 5 = 50.6, company A's 75 left out
    assert found.means["A7"] is None  # nobody assessed on it


def test_companies_of_another_section_or_size_do_not_count(csr, peers):
    peers(3)
    peers(5, section="G")
    peers(5, size="medium")
    assert not benchmark(csr.company_a).shown


def test_a_single_company_is_never_revealed_by_adding_it_to_a_small_group(csr, peers):
    # A company that knows four peers' scores and then watches a fifth arrive would read
    # the fifth's score from the difference of means: below the threshold nothing is shown,
    # so the first visible mean already mixes five companies it cannot tell apart.
    peers(4, a1=50)
    assert benchmark(csr.company_a).means == {}
    peers(1, a1=90)
    shown = benchmark(csr.company_a)
    assert shown.means["A1"] == Decimal(58)
    assert Decimal(90) not in shown.means.values()


def test_the_threshold_is_the_monitoring_setting(csr, peers, settings):
    settings.MONITORING_SUPPRESSION_THRESHOLD = 7
    peers(6)
    found = benchmark(csr.company_a)
    assert not found.shown and found.threshold == 7
