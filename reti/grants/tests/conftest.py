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


# --- grant management: the intermediate body's manager and accounting, an auditor, and A's
# application funded by the call's current ranking run --------------------------------------


@dataclass
class Management:
    grants: Grants
    manager: object  # member of the body with grants.approve_payment
    manager_2: object  # a second manager (concurrent approvals)
    accounting: object  # member of the body with grants.pay_payment
    auditor: object  # grants.audit_grants, no organisation
    application_a: object  # A's submitted application, funded (8,000 euro)
    application_b: object  # B's submitted application, not funded
    entry_a: object


def _with_permission(user, codename: str):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def management(grants, pdf):
    from reti.accounts.models import Membership
    from reti.grants import actions
    from reti.grants.models import IndicatorTarget, RankingEntry
    from reti.monitoring.tests import factories as mf

    programme = grants.call.global_grant.programme
    programme.period = f.PeriodFactory(code="2021-2027", start_year=2021, end_year=2027)
    programme.fund = f.FundFactory(code="FSE+", name_it="Fondo sociale europeo Plus")
    programme.save()
    toscana = mf.region("09", "Toscana")

    def member(username, codename):
        user = f.MembershipFactory(
            organisation=grants.body, user__username=username, role=Membership.Role.VIEWER
        ).user
        return _with_permission(user, codename)

    applications = {}
    for org, user in ((grants.org_a, grants.applicant_a), (grants.org_b, grants.applicant_b)):
        draft = actions.create_application(user, grants.call, org, f"Progetto di {org.name_it}")
        fill(draft, grants, pdf_factory=pdf)
        Application.objects.filter(pk=draft.pk).update(territory=toscana)
        IndicatorTarget.objects.create(application=draft, code="EECO01", target=40)
        actions.submit_application(user, draft)
        applications[org.pk] = Application.objects.get(pk=draft.pk)
    application_a = applications[grants.org_a.pk]
    application_b = applications[grants.org_b.pk]
    entry_a = gf.funded(application_a, "8000.00")
    gf.funded(application_b, "0.00", status=RankingEntry.Status.NOT_FUNDED)
    return Management(
        grants=grants,
        manager=member("manager", "approve_payment"),
        manager_2=member("manager_2", "approve_payment"),
        accounting=member("accounting", "pay_payment"),
        auditor=_with_permission(f.UserFactory(username="auditor"), "audit_grants"),
        application_a=application_a,
        application_b=application_b,
        entry_a=entry_a,
    )


CUP_A = "J51B21000000001"


def decided(m, **changes):
    """A's funding decision, recorded by the officer."""
    import datetime

    from reti.grants import actions

    values = {
        "decree_number": "Determina 12/2026",
        "decree_date": datetime.date(2026, 6, 1),
        "decree_signer": "Dirigente di prova",
        "cup": CUP_A,
        "state_aid_code": "COR-1234567",
    }
    values.update(changes)
    return actions.decide_funding(m.grants.officer, m.application_a, **values)


def active(m):
    """A's grant, agreement generated and accepted: the project is under way."""
    import datetime

    from reti.grants import actions

    grant = decided(m)
    actions.generate_agreement(
        m.grants.officer,
        grant,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    return actions.accept_agreement(m.grants.applicant_a, grant)


def paid(m, grant, kind, **options):
    """A tranche through the whole chain: officer, manager, accounting."""
    from reti.grants import actions

    payment = actions.prepare_payment(m.grants.officer, grant, kind, **options)
    actions.approve_payment(m.manager, payment)
    return actions.pay_payment(m.accounting, payment, f"Mandato {payment.pk}")


def verified_report(m, grant, amounts, *, final=False, cuts=None, pdf=None):
    """A report of `amounts` in the staff-costs category, sent and verified (`cuts`: item
    index -> amount cut)."""
    from reti.grants import actions
    from reti.grants.models import ExpenseItem, Verification

    report = actions.create_report(m.grants.applicant_a, grant, final=final)
    actions.save_report_items(
        m.grants.applicant_a,
        report,
        [
            ExpenseItem(category=m.grants.staff_costs, description=f"Voce {n}", amount=a)
            for n, a in enumerate(amounts)
        ],
    )
    actions.add_report_document(m.grants.applicant_a, report, pdf("fattura.pdf", "Fattura"))
    actions.submit_report(m.grants.applicant_a, report)
    cuts = cuts or {}
    accepted = {
        item.pk: (item.amount - cuts.get(n, 0), "Spesa non pertinente" if n in cuts else "")
        for n, item in enumerate(report.items.order_by("id"))
    }
    kind = Verification.Kind.ON_THE_SPOT if grant.on_the_spot_sample else Verification.Kind.DESK
    actions.verify_report(
        m.grants.officer,
        report,
        kind=kind,
        checklist={code: True for code, _label in Verification.checklist_for(kind)},
        accepted=accepted,
    )
    report.refresh_from_db()
    return report


# --- after the deadline: the committee and the ranking (test_evaluation*.py) ---------------


@dataclass
class Panel:
    chair: object  # presidente: scores and records the consensus
    evaluator: object  # a member with no link to the applicants
    conflicted: object  # a member of organisation A: never assigned A's application


@pytest.fixture
def panel(grants):
    from reti.grids.actions import load_catalogue
    from reti.grids.models import GridTemplate

    load_catalogue()
    grid = GridTemplate.objects.get(code="small-grant-merit", version=1)
    Call = type(grants.call)
    Call.objects.filter(pk=grants.call.pk).update(grid_template=grid)
    grants.call.refresh_from_db()
    return Panel(
        chair=f.UserFactory(username="chair", email="chair@example.org"),
        evaluator=f.UserFactory(username="evaluator", email="evaluator@example.org"),
        conflicted=f.MembershipFactory(organisation=grants.org_a, user__username="conflicted").user,
    )


@pytest.fixture
def world(grants, panel):
    """Three admitted applications (A 75, B 75 sent later, C 100), one not admissible (D),
    the committee opened, everyone scored; line budget 21,000, requests of 8,000."""
    from reti.grants import actions
    from reti.grants.models import Admissibility
    from reti.grids import actions as grids

    from .evaluation import admit, close, organisation, score, submitted

    grants.line.budget = Decimal("21000.00")
    grants.line.save()
    org_c = organisation("Fondazione C (prova)")
    org_d = organisation("Circolo D (prova)")
    apps = {
        "A": submitted(grants, grants.org_a, minutes=1),
        "B": submitted(grants, grants.org_b, minutes=2),
        "C": submitted(grants, org_c, minutes=3),
        "D": submitted(grants, org_d, minutes=4),
    }
    for name in "ABC":
        admit(apps[name])
    admit(apps["D"], Admissibility.Outcome.NOT_ADMISSIBLE)
    close(grants.call)
    committee = actions.open_committee(
        grants.officer,
        grants.call,
        chair=panel.chair,
        members=[panel.evaluator, panel.conflicted],
        evaluators_per_subject=1,
    )
    grids.assign_balanced(grants.officer, committee)
    for name, level in (("A", "good"), ("B", "good"), ("C", "excellent")):
        score(committee, apps[name], level, panel.chair)
    grants.call.refresh_from_db()
    return apps


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
