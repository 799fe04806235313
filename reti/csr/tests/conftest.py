"""Fixtures of the CSR tests: the cast, extended with Toscana's CSR world.

Toscana and Lazio become region bodies (kind "region") with their territories, so their
officers are region officers. `csr` adds two companies of Toscana (A and B, section K, small)
with their representatives, an expert of Toscana without conflict, an expert of Toscana who
is a member of company A (a conflict grids' rules find), and the published grids catalogue.
"""

from dataclasses import dataclass

import pytest

from reti.accounts.models import Membership
from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401
from reti.grants.tests.conftest import grants, panel  # noqa: F401 (calls for the CSR bonus)
from reti.grids.actions import load_catalogue
from reti.registry.models import Organisation, Territory
from reti.registry.tests import factories as rf

from .. import actions
from ..models import Expert
from .factories import CompanyFactory, answers_for


@dataclass
class Csr:
    toscana_region: object
    lazio_region: object
    company_a: object
    company_b: object
    rep_a: object
    rep_b: object
    expert: object
    conflicted_expert: object
    lazio_expert: object

    def answers(self, company, **changes) -> dict:
        template = actions.current_grid().engine_template()
        return answers_for(template, company.subject_attributes(), **changes)


def region(code: str, name: str) -> Territory:
    return Territory.objects.create(code=code, level=Territory.Level.REGION, name_it=name)


@pytest.fixture
def csr(cast):
    load_catalogue()
    toscana_region, lazio_region = region("09", "Toscana"), region("12", "Lazio")
    for body, territory in ((cast.toscana, toscana_region), (cast.lazio, lazio_region)):
        body.kind, body.territory = Organisation.Kind.REGION, territory
        body.save()
    company_a = CompanyFactory(organisation__name_it="Impresa A (prova)", region=toscana_region)
    company_b = CompanyFactory(
        organisation__name_it="Impresa B (prova)", region=toscana_region, ateco_code="47.11.01"
    )
    rep_a = rf.MembershipFactory(organisation=company_a.organisation, user__username="rep_a").user
    rep_b = rf.MembershipFactory(organisation=company_b.organisation, user__username="rep_b").user
    expert = rf.UserFactory(username="esperto")
    conflicted = rf.UserFactory(username="esperto_in_conflitto")
    lazio_expert = rf.UserFactory(username="esperto_lazio")
    Membership.objects.create(
        user=conflicted, organisation=company_a.organisation, role=Membership.Role.VIEWER
    )
    Expert.objects.create(user=expert, region=toscana_region)
    Expert.objects.create(user=conflicted, region=toscana_region)
    Expert.objects.create(user=lazio_expert, region=lazio_region)
    return Csr(
        toscana_region=toscana_region,
        lazio_region=lazio_region,
        company_a=company_a,
        company_b=company_b,
        rep_a=rep_a,
        rep_b=rep_b,
        expert=expert,
        conflicted_expert=conflicted,
        lazio_expert=lazio_expert,
    )


@pytest.fixture
def submitted(csr):
    """Company A's submitted self-assessment of this year."""
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    actions.save_answers(csr.rep_a, own, csr.answers(csr.company_a))
    return actions.submit_self_assessment(csr.rep_a, own)


@pytest.fixture
def validated(csr, submitted):
    """Company A's self-assessment, validated by the expert without changes."""
    actions.take_for_validation(csr.expert, submitted)
    return actions.decide(csr.expert, submitted, validate=True, note="Evidenze coerenti.")
