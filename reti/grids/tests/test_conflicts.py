"""Conflicts of interest found in the registry block an assignment unless the chair says why."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reti.grids import actions, conflicts
from reti.grids.models import CommitteeMember
from reti.registry.models import GoverningRole, Organisation, Partnership, Territory
from reti.registry.tests import factories as rf

from .factories import CommitteeFactory, MemberFactory

TODAY = date(2026, 6, 1)


def kinds(found):
    return sorted({c.kind for c in found})


@pytest.fixture
def evaluator(db):
    return rf.UserFactory(username="valutatrice")


@pytest.fixture
def employer(evaluator):
    """The evaluator's organisation."""
    organisation = rf.OrganisationFactory(name_it="Ente della valutatrice", kind="third_sector")
    rf.MembershipFactory(user=evaluator, organisation=organisation)
    return organisation


def company(**kwargs):
    return rf.OrganisationFactory(kind=Organisation.Kind.COMPANY, **kwargs)


def test_no_link_no_conflict(evaluator, employer):
    assert conflicts.detect(evaluator, company(), today=TODAY) == []


def test_an_evaluator_without_organisation_has_no_registry_conflict(db):
    assert conflicts.detect(rf.UserFactory(), company(), today=TODAY) == []


def test_own_organisation_unit_and_sibling_conflict(evaluator, employer):
    assert kinds(conflicts.detect(evaluator, employer, today=TODAY)) == ["same_organisation"]
    unit = company(parent=employer)
    assert kinds(conflicts.detect(evaluator, unit, today=TODAY)) == ["same_organisation"]
    parent = rf.OrganisationFactory(name_it="Consorzio")
    employer.parent = parent
    employer.save()
    sibling = company(parent=parent)
    assert kinds(conflicts.detect(evaluator, sibling, today=TODAY)) == ["same_organisation"]


def test_partners_in_a_project_of_the_last_three_years_conflict(evaluator, employer):
    subject = company()
    recent = rf.ProjectFactory(end_date=TODAY - timedelta(days=2 * 365))
    for organisation in (employer, subject):
        rf.PartnershipFactory(project=recent, organisation=organisation)
    found = conflicts.detect(evaluator, subject, today=TODAY)
    assert kinds(found) == ["common_project"]
    assert recent.title_it in found[0].message


def test_a_project_ended_more_than_three_years_ago_is_no_conflict(evaluator, employer):
    subject = company()
    old = rf.ProjectFactory(end_date=TODAY - timedelta(days=4 * 365), status="completed")
    for organisation in (employer, subject):
        rf.PartnershipFactory(project=old, organisation=organisation)
    assert conflicts.detect(evaluator, subject, today=TODAY) == []


def test_a_partnership_that_ended_long_ago_in_a_running_project_is_no_conflict(evaluator, employer):
    subject = company()
    running = rf.ProjectFactory()
    rf.PartnershipFactory(project=running, organisation=employer)
    rf.PartnershipFactory(
        project=running,
        organisation=subject,
        start_date=date(2015, 1, 1),
        end_date=date(2018, 1, 1),
    )
    assert conflicts.detect(evaluator, subject, today=TODAY) == []


def test_governing_roles_in_one_network_conflict_plain_membership_does_not(evaluator, employer):
    subject = company()
    network = rf.NetworkFactory()
    GoverningRole.objects.create(
        network=network, organisation=employer, role=GoverningRole.Role.SECRETARIAT
    )
    member = GoverningRole.objects.create(
        network=network, organisation=subject, role=GoverningRole.Role.MEMBER
    )
    assert conflicts.detect(evaluator, subject, today=TODAY) == []
    member.role = GoverningRole.Role.COORDINATOR
    member.save()
    assert kinds(conflicts.detect(evaluator, subject, today=TODAY)) == ["shared_governance"]


def test_governing_terms_that_never_overlapped_are_no_conflict(evaluator, employer):
    subject = company()
    network = rf.NetworkFactory()
    GoverningRole.objects.create(
        network=network,
        organisation=employer,
        role=GoverningRole.Role.PRESIDENCY,
        start_date=date(2025, 1, 1),
    )
    GoverningRole.objects.create(
        network=network,
        organisation=subject,
        role=GoverningRole.Role.COORDINATOR,
        start_date=date(2023, 1, 1),
        end_date=date(2024, 6, 30),
    )
    assert conflicts.detect(evaluator, subject, today=TODAY) == []


def test_own_region_conflicts_only_for_interregional_prizes(evaluator, employer):
    region = rf.TerritoryFactory(code="990", name_it="Regione di prova")
    province = rf.TerritoryFactory(
        code="991", level=Territory.Level.PROVINCE, name_it="Provincia di prova", parent=region
    )
    employer.territory = province
    employer.save()
    subject = company(territory=region)
    assert conflicts.detect(evaluator, subject, today=TODAY) == []
    found = conflicts.detect(evaluator, subject, interregional=True, today=TODAY)
    assert kinds(found) == ["own_region"]
    elsewhere = company(territory=rf.TerritoryFactory(code="992"))
    assert conflicts.detect(evaluator, elsewhere, interregional=True, today=TODAY) == []


def test_a_practice_is_judged_by_its_lead_and_partner_organisations(evaluator, employer):
    from reti.knowledge.tests.factories import PracticeFactory

    practice = PracticeFactory(lead_organisation=company())
    assert conflicts.detect(evaluator, practice) == []
    practice.partner_organisations.add(employer)
    assert kinds(conflicts.detect(evaluator, practice)) == ["same_organisation"]


@pytest.fixture
def committee(evaluator):
    committee = CommitteeFactory()
    chair = MemberFactory(committee=committee, role=CommitteeMember.Role.CHAIR).user
    MemberFactory(committee=committee, user=evaluator)
    committee.chair = chair
    return committee


def test_a_detected_conflict_blocks_the_assignment(committee, evaluator, employer):
    with pytest.raises(ValidationError) as error:
        actions.assign(committee.chair, committee, evaluator, employer)
    assert "stesso ente" in str(error.value)
    assert not committee.assignments.exists()


def test_the_chair_overrides_a_conflict_with_a_reason_kept_in_the_trail(
    committee, evaluator, employer
):
    assignment = actions.assign(
        committee.chair, committee, evaluator, employer, override_reason="Unica esperta del tema"
    )
    assert assignment.override_reason == "Unica esperta del tema"
    assert assignment.overridden_conflicts[0]["kind"] == "same_organisation"
    entry = assignment.history.latest()
    assert entry.history_user == committee.chair
    assert entry.history_change_reason.endswith("Unica esperta del tema")


def test_only_the_chair_overrides(committee, evaluator, employer):
    secretary = MemberFactory(committee=committee, role=CommitteeMember.Role.SECRETARY).user
    with pytest.raises(PermissionDenied):
        actions.assign(secretary, committee, evaluator, employer, override_reason="perché sì")


def test_a_declared_conflict_cannot_be_overridden(committee, evaluator):
    subject = company()
    assignment = actions.assign(committee.chair, committee, evaluator, subject)
    actions.declare_conflict(
        evaluator, assignment, True, ["family"], "Mia sorella ne è la legale rappresentante."
    )
    assignment.delete()
    with pytest.raises(ValidationError):
        actions.assign(committee.chair, committee, evaluator, subject, override_reason="serve")


def test_balanced_assignment_spreads_load_and_skips_conflicts(committee, evaluator, employer):
    others = [MemberFactory(committee=committee).user for _ in range(2)]
    committee.evaluators_per_subject = 1
    committee.save()
    subjects = [company() for _ in range(4)] + [employer]
    made, short = actions.assign_balanced(committee.chair, committee, subjects)
    assert short == []
    per_evaluator = {}
    for assignment in made:
        per_evaluator.setdefault(assignment.evaluator_id, []).append(assignment.subject)
    # Four evaluators (chair, evaluator, two others), five subjects: nobody gets three.
    assert max(len(v) for v in per_evaluator.values()) <= 2
    assert employer not in per_evaluator.get(evaluator.pk, [])
    assert set(per_evaluator) <= {committee.chair.pk, evaluator.pk, *(u.pk for u in others)}


def test_balanced_assignment_reports_a_subject_nobody_can_take(committee, evaluator, employer):
    # The chair works for the same organisation too: nobody left to take it.
    rf.MembershipFactory(user=committee.chair, organisation=employer)
    made, short = actions.assign_balanced(committee.chair, committee, [employer])
    assert made == [] and short == [employer]


def test_an_outsider_assigns_nothing(committee, evaluator):
    with pytest.raises(PermissionDenied):
        actions.assign(rf.UserFactory(), committee, evaluator, company())
    assert Partnership.objects.count() == 0
