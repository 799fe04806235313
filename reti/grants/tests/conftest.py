"""The grants cast: the cast of reti/conftest.py plus an intermediate body's officer and the
representatives of two applicant organisations, A and B, on an open call."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401
from reti.grants.models import Application, BudgetItem
from reti.knowledge.tests.files import minimal_pdf
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

from . import factories as gf


@dataclass
class Grants:
    body: object  # the intermediate body (organismo intermedio)
    officer: object  # editor of the intermediate body
    org_a: object
    org_b: object
    applicant_a: object  # verified representative of A
    applicant_b: object  # verified representative of B
    call: object  # published and open (deadline in 10 days)
    line: object
    staff_costs: object  # cost category capped at 95 % of the total
    travel: object  # cost category capped at 2,000 euro
    statute: object  # the mandatory attachment


@pytest.fixture(autouse=True)
def _italian_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("it"):
        yield


@pytest.fixture
def grants(cast):
    body = f.OrganisationFactory(
        name_it="Organismo intermedio (prova)", kind=Organisation.Kind.TECHNICAL_ASSISTANCE
    )
    officer = f.MembershipFactory(organisation=body, user__username="officer").user
    org_a = f.OrganisationFactory(
        name_it="Associazione A (prova)",
        kind=Organisation.Kind.THIRD_SECTOR,
        tax_code=gf.tax_code(),
    )
    org_b = f.OrganisationFactory(
        name_it="Cooperativa B (prova)",
        kind=Organisation.Kind.SOCIAL_COOP_A,
        tax_code=gf.tax_code(),
    )
    call = gf.CallFactory(
        global_grant=gf.GlobalGrantFactory(
            intermediate_body=body, programme__managing_authority=cast.toscana
        )
    )
    return Grants(
        body=body,
        officer=officer,
        org_a=org_a,
        org_b=org_b,
        applicant_a=gf.applicant(org_a, "applicant_a"),
        applicant_b=gf.applicant(org_b, "applicant_b"),
        call=call,
        line=gf.LineFactory(call=call, code="L1"),
        staff_costs=gf.CostCategoryFactory(call=call, code="C1", cap_share=Decimal("0.95")),
        travel=gf.CostCategoryFactory(
            call=call, code="C2", name_it="Viaggi", cap_amount=Decimal("2000")
        ),
        statute=gf.RequiredAttachmentFactory(call=call, code="A1"),
    )


@pytest.fixture
def pdf():
    def make(name="statuto.pdf", text="Statuto"):
        return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")

    return make


def fill(application, grants, *, with_attachment=True, pdf_factory=None):
    """Complete a draft so it can be submitted (10,000 euro: 8,000 asked, 2,000 own)."""
    Application.objects.filter(pk=application.pk).update(
        line=grants.line,
        summary="Sintesi",
        objectives="Obiettivi",
        target_groups="Giovani NEET",
        activities="Mesi 1-6: laboratori",
        requested_amount=Decimal("8000.00"),
        cofinancing_amount=Decimal("2000.00"),
        declares_truthful=True,
        declares_no_double_funding=True,
        declares_privacy=True,
    )
    BudgetItem.objects.create(
        application=application, category=grants.staff_costs, amount=Decimal("7000")
    )
    BudgetItem.objects.create(
        application=application, category=grants.travel, amount=Decimal("1000")
    )
    BudgetItem.objects.create(
        application=application, category=grants.staff_costs, amount=Decimal("2000")
    )
    application.refresh_from_db()
    if with_attachment:
        from reti.grants import actions

        actions.add_attachment(
            application.organisation_id and _applicant_of(application),
            application,
            pdf_factory(),
            required=grants.statute,
        )
    return application


def _applicant_of(application):
    from reti.grants.models import RepresentationClaim

    return (
        RepresentationClaim.objects.filter(organisation=application.organisation, status="verified")
        .first()
        .user
    )


@pytest.fixture
def draft_a(grants):
    from reti.grants import actions

    return actions.create_application(
        grants.applicant_a, grants.call, grants.org_a, "Laboratori di comunità"
    )


@pytest.fixture
def ready_a(draft_a, grants, pdf):
    return fill(draft_a, grants, pdf_factory=pdf)


# --- after submission: the istruttoria (reti/grants/actions/admissibility.py) ---------------


@pytest.fixture
def submitted_a(ready_a, grants):
    """A's application, complete and submitted before the deadline."""
    from reti.grants import actions

    actions.submit_application(grants.applicant_a, ready_a)
    ready_a.refresh_from_db()
    return ready_a


@pytest.fixture
def submitted_b(grants, pdf):
    """B's application, complete and submitted before the deadline."""
    from reti.grants import actions

    draft = actions.create_application(grants.applicant_b, grants.call, grants.org_b, "Orti B")
    fill(draft, grants, pdf_factory=pdf)
    actions.submit_application(grants.applicant_b, draft)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def after_deadline(submitted_a, grants):
    """The server clock a day after the call's deadline (the istruttoria is open); move it
    by changing `moment["now"]`."""
    from unittest import mock

    from reti.grants import clock

    moment = {"now": grants.call.deadline + datetime.timedelta(days=1)}
    with mock.patch.object(clock, "now", side_effect=lambda: moment["now"]):
        yield moment


@pytest.fixture
def other_officer(cast):
    """The officer of another intermediate body, with a call of its own."""
    body = f.OrganisationFactory(
        name_it="Altro organismo intermedio (prova)",
        kind=Organisation.Kind.TECHNICAL_ASSISTANCE,
    )
    gf.CallFactory(global_grant=gf.GlobalGrantFactory(intermediate_body=body))
    return f.MembershipFactory(organisation=body, user__username="other_officer").user


@pytest.fixture
def evaluator(grants):
    """A member of a grids committee on the small-grant grid: no part in the istruttoria."""
    from reti.grids.actions import load_catalogue
    from reti.grids.models import Committee, CommitteeMember, GridTemplate

    load_catalogue()
    committee = Committee.objects.create(
        name_it="Commissione di prova",
        template=GridTemplate.objects.get(code="small-grant-merit", version=1),
    )
    user = f.UserFactory(username="evaluator")
    CommitteeMember.objects.create(committee=committee, user=user, role=CommitteeMember.Role.MEMBER)
    return user
