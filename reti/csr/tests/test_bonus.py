"""A grants call's CSR bonus: read from the applicant's attestation at the deadline, fixed in
every committee assessment, shown with its source, audited, and in the ranking's trace."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reti.grants import actions as grants_actions
from reti.grants.models import Call, RankingRun
from reti.grants.tests.evaluation import admit, close, score, submitted
from reti.grids import actions as grids

from .. import actions, bonus
from ..models import Attestation, CallBonus

pytestmark = pytest.mark.django_db
EVERY_LEVEL = {"base": True, "advanced": True, "excellent": True}


@pytest.fixture
def call_bonus(grants, panel):
    close(grants.call)
    return CallBonus.objects.create(call=grants.call, node="P1", values=EVERY_LEVEL)


def _attestation(validated, **fields) -> Attestation:
    attestation = validated.attestation
    for name, value in fields.items():
        setattr(attestation, name, value)
    attestation.save()
    return attestation


def _around(call, before: int, after: int) -> dict:
    day = timezone.localdate(call.deadline)
    return {
        "valid_from": day - datetime.timedelta(days=before),
        "valid_until": day + datetime.timedelta(days=after),
    }


def test_a_company_with_an_attestation_valid_at_the_deadline_gets_the_bonus(
    csr, validated, call_bonus
):
    attestation = _attestation(validated, **_around(call_bonus.call, 100, 100))
    given = bonus.answer(call_bonus, csr.company_a.organisation)
    assert given["value"] is True
    assert attestation.code in given["justification"]
    assert f"/rsi/verifica/{attestation.code}/" in given["justification"]


def test_an_attestation_expired_by_the_deadline_gives_no_bonus(csr, validated, call_bonus):
    _attestation(validated, **_around(call_bonus.call, 800, -1))
    given = bonus.answer(call_bonus, csr.company_a.organisation)
    assert given["value"] is False
    assert "scaduta" in given["justification"]


def test_an_attestation_valid_only_after_the_deadline_gives_no_bonus(csr, validated, call_bonus):
    _attestation(validated, **_around(call_bonus.call, -1, 700))
    assert bonus.answer(call_bonus, csr.company_a.organisation)["value"] is False


def test_a_revoked_attestation_gives_no_bonus(cast, csr, validated, call_bonus):
    attestation = _attestation(validated, **_around(call_bonus.call, 100, 100))
    actions.revoke_attestation(cast.toscana_officer, attestation, "Dichiarazioni non veritiere.")
    given = bonus.answer(call_bonus, csr.company_a.organisation)
    assert given["value"] is False
    assert "revocata" in given["justification"]


def test_an_applicant_that_is_not_a_company_gets_the_lowest_answer(grants, call_bonus):
    given = bonus.answer(call_bonus, grants.org_a)
    assert given["value"] is False
    assert bonus.NOT_A_COMPANY in given["justification"]


def test_a_level_the_call_does_not_reward_gives_no_bonus(csr, validated, call_bonus):
    _attestation(validated, level="base", **_around(call_bonus.call, 10, 10))
    call_bonus.values = {"excellent": True}
    call_bonus.save()
    given = bonus.answer(call_bonus, csr.company_a.organisation)
    assert given["value"] is False and "non premiato" in given["justification"]


def test_the_committee_cannot_change_the_bonus_and_the_trace_shows_it(
    csr,
    validated,
    grants,
    panel,
    call_bonus,
):
    attestation = _attestation(validated, **_around(call_bonus.call, 100, 100))
    company_app = submitted(grants, csr.company_a.organisation, minutes=1)
    other_app = submitted(grants, grants.org_b, minutes=2)
    for application in (company_app, other_app):
        admit(application)
    committee = grants_actions.open_committee(
        grants.officer, grants.call, chair=panel.chair, members=[panel.evaluator],
        evaluators_per_subject=1,
    )  # fmt: skip
    grids.assign_balanced(grants.officer, committee)
    # The evaluator's draft opens with the bonus answered, its source in the justification.
    assignment = committee.assignments.get(subject_id=company_app.pk)
    grids.declare_conflict(assignment.evaluator, assignment, False)
    draft = grids.start_assessment(assignment.evaluator, assignment)
    assert draft.answers["P1"]["value"] is True
    assert attestation.code in draft.answers["P1"]["justification"]
    # Both score P1 "no" (answers of the tests); the consensus keeps the attestation's answer.
    record = score(committee, company_app, "good", panel.chair)
    score(committee, other_app, "good", panel.chair)
    consensus = record.assessment
    assert consensus.answers["P1"]["value"] is True
    entry = next(e for e in consensus.trace if e["node"] == "P1")
    assert float(entry["points"]) == 3
    reasons = list(consensus.history.values_list("history_change_reason", flat=True))
    assert any(reason and reason.startswith(grids.FIXED) for reason in reasons)
    # The ranking puts the company first: same merit, 3 bonus points.
    run = grants_actions.run_ranking(grants.officer, grants.call, RankingRun.Kind.PROVISIONAL)
    first = run.result["ranking"][0]
    assert first["application"] == company_app.receipt.protocol_number


def test_officers_declare_the_bonus_on_a_draft_call_only(csr, grants, panel):
    Call.objects.filter(pk=grants.call.pk).update(status=Call.Status.DRAFT)
    grants.call.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.declare_call_bonus(csr.rep_a, grants.call, "P1", EVERY_LEVEL)
    with pytest.raises(ValidationError):
        actions.declare_call_bonus(grants.officer, grants.call, "A1", EVERY_LEVEL)  # a criterion
    with pytest.raises(ValidationError):
        actions.declare_call_bonus(grants.officer, grants.call, "P1", {"gold": True})
    declared = actions.declare_call_bonus(grants.officer, grants.call, "P1", EVERY_LEVEL)
    assert declared.history.first().history_change_reason.startswith(actions.BONUS_DECLARED)
    Call.objects.filter(pk=grants.call.pk).update(status=Call.Status.PUBLISHED)
    grants.call.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.declare_call_bonus(grants.officer, grants.call, "P1", {"excellent": True})
