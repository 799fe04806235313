"""Template versions, assessments, re-projection, consensus and the verify command."""

import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from reti.grids import actions, engine, scoring
from reti.grids.demo import random_answers
from reti.grids.forms import scored_nodes
from reti.grids.models import Assessment, GridTemplate

from .conftest import ANSWERS, answers, submit


def test_the_catalogue_loads_published_and_again_changes_nothing(catalogue):
    assert set(catalogue) == {
        "small-grant-merit",
        "csr-self-assessment",
        "csr-prize",
        "practice-validation",
        "csr-common-call",
    }
    assert all(t.status == GridTemplate.Status.PUBLISHED for t in catalogue.values())
    assert [changed for _t, changed in actions.load_catalogue()] == [False] * 5
    out = StringIO()
    call_command("grids", "load", stdout=out)
    assert "small-grant-merit v1: unchanged (published)" in out.getvalue()
    assert GridTemplate.objects.count() == 5


def test_a_published_version_never_changes(catalogue):
    template = catalogue["small-grant-merit"]
    template.title_it = "Altro titolo"
    with pytest.raises(ValidationError):
        template.full_clean()
    with pytest.raises(ValidationError):
        template.save()
    text = template.yaml.replace("Griglia di valutazione di merito", "Griglia cambiata")
    with pytest.raises(ValidationError, match="crearne una nuova"):
        actions.load_template(None, text)


def test_a_change_is_a_new_version_and_the_old_one_retires(catalogue):
    old = catalogue["small-grant-merit"]
    text = old.yaml.replace("version: 1", "version: 2", 1).replace(
        "status: published", "status: draft", 1
    )
    new, changed = actions.load_template(None, text)
    assert changed and new.version == 2 and new.status == GridTemplate.Status.DRAFT
    actions.publish_template(None, new)
    actions.retire_template(None, old)
    old.refresh_from_db()
    assert old.status == GridTemplate.Status.RETIRED
    assert old.history.latest().history_change_reason == actions.RETIRED


def test_bad_yaml_names_node_and_field_and_stores_nothing(db):
    text = "code: rotta\nversion: 1\nstatus: draft\nnodes:\n  - code: X\n    kind: sconosciuto\n"
    with pytest.raises(ValidationError) as error:
        actions.load_template(None, text)
    assert any("X" in message for message in error.value.messages)
    assert not GridTemplate.objects.exists()


def test_only_staff_load_templates(catalogue, cast):
    with pytest.raises(PermissionDenied):
        actions.load_template(cast.toscana_officer, catalogue["csr-prize"].yaml)


def test_submission_stores_the_engines_result_and_trace(grids):
    assessment = submit(grids.evaluator_a, grids.assignment_a)
    parsed = grids.template.engine_template()
    expected = engine.evaluate(parsed, scoring.to_engine(parsed, ANSWERS))
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.full_result == expected.as_dict()
    assert "trace" not in assessment.result  # stored once, in its own column
    assert assessment.total == expected.total
    assert assessment.outcome == expected.outcome == "admissible"
    assert assessment.engine_version == engine.ENGINE_VERSION
    assert {entry["node"] for entry in assessment.trace} >= {"A1", "ADM-SIGNATURE", "N1"}
    assert assessment.history.latest().history_change_reason == actions.SUBMITTED


def test_a_failed_gate_without_justification_cannot_be_submitted(grids):
    assessment = actions.start_assessment(grids.evaluator_a, grids.assignment_a)
    actions.save_draft(grids.evaluator_a, assessment, answers(**{"ADM-BUDGET": {"value": False}}))
    with pytest.raises(ValidationError) as error:
        actions.submit_assessment(grids.evaluator_a, assessment)
    assert "ADM-BUDGET.justification" in error.value.message_dict
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT and assessment.result is None


def test_a_failed_gate_is_not_admissible_whatever_the_points(grids):
    given = answers(**{"ADM-BUDGET": {"value": False, "justification": "Oltre il tetto."}})
    assessment = submit(grids.evaluator_a, grids.assignment_a, given)
    assert assessment.outcome == "not_admissible"


def test_drafts_resume_and_only_their_evaluator_edits_them(grids):
    assessment = actions.start_assessment(grids.evaluator_a, grids.assignment_a)
    actions.save_draft(grids.evaluator_a, assessment, {"A1": {"value": "good"}})
    again = actions.start_assessment(grids.evaluator_a, grids.assignment_a)
    assert again.pk == assessment.pk and again.answers["A1"]["value"] == "good"
    with pytest.raises(PermissionDenied):
        actions.save_draft(grids.evaluator_b, assessment, {"A1": {"value": "absent"}})
    with pytest.raises(PermissionDenied):
        actions.start_assessment(grids.evaluator_b, grids.assignment_a)


def test_a_submitted_assessment_is_final_until_the_chair_reopens_it(grids, submitted_a):
    with pytest.raises(PermissionDenied):
        actions.save_draft(grids.evaluator_a, submitted_a, {"A1": {"value": "absent"}})
    with pytest.raises(PermissionDenied):
        actions.reopen_assessment(grids.secretary, submitted_a, "errore")
    reopened = actions.reopen_assessment(grids.chair, submitted_a, "Punteggio A2 da rivedere")
    assert reopened.state == Assessment.State.DRAFT
    entry = reopened.history.latest()
    assert entry.history_user == grids.chair
    assert entry.history_change_reason.endswith("Punteggio A2 da rivedere")


def test_reprojection_is_explicit_audited_and_keeps_the_original(grids, submitted_a):
    text = grids.template.yaml.replace("version: 1", "version: 2", 1)
    newer, _changed = actions.load_template(None, text)
    with pytest.raises(ValidationError):
        actions.reproject_assessment(grids.evaluator_a, submitted_a, newer, "")
    copy = actions.reproject_assessment(grids.evaluator_a, submitted_a, newer, "Nuovo avviso")
    assert copy.template == newer and copy.reprojected_from == submitted_a
    assert copy.state == Assessment.State.DRAFT
    assert copy.answers["A1"]["value"] == "good"
    assert copy.answers["A2"]["evidence"] == [{"kind": "document", "ref": "Allegato 1"}]
    assert copy.history.latest().history_change_reason.endswith("Nuovo avviso")
    submitted_a.refresh_from_db()
    assert submitted_a.template == grids.template and submitted_a.is_submitted


def test_consensus_needs_every_evaluator_then_records_the_committees_scores(grids, submitted_a):
    with pytest.raises(ValidationError):
        actions.record_consensus(grids.chair, grids.committee, grids.subject, ANSWERS, "Decisa")
    submit(grids.evaluator_b, grids.assignment_b, answers(A1={"value": "adequate"}))
    with pytest.raises(PermissionDenied):
        actions.record_consensus(
            grids.evaluator_a, grids.committee, grids.subject, ANSWERS, "Decisa"
        )
    record = actions.record_consensus(
        grids.secretary, grids.committee, grids.subject, ANSWERS, "Media dei giudizi"
    )
    assert record.assessment.mode == Assessment.Mode.CONSENSUS
    assert record.assessment.total == submitted_a.total
    assert record.history.latest().history_change_reason.endswith("Media dei giudizi")


def test_a_reopened_consensus_is_recorded_again_on_the_same_record(grids, submitted_a):
    submit(grids.evaluator_b, grids.assignment_b, answers(A1={"value": "adequate"}))
    record = actions.record_consensus(
        grids.chair, grids.committee, grids.subject, ANSWERS, "Media dei giudizi"
    )
    with pytest.raises(ValidationError, match="già deciso"):
        actions.record_consensus(grids.chair, grids.committee, grids.subject, ANSWERS, "Ancora")
    actions.reopen_assessment(grids.chair, record.assessment, "Ricorso accolto")
    lower = answers(A1={"value": "adequate"})
    again = actions.record_consensus(
        grids.chair, grids.committee, grids.subject, lower, "Riesame dopo il ricorso"
    )
    assert again.pk == record.pk and again.assessment_id == record.assessment_id
    assert again.assessment.is_submitted and again.assessment.total < submitted_a.total
    assert again.justification == "Riesame dopo il ricorso"


def test_divergent_evaluations_flag_the_subject(grids, submitted_a):
    low = {
        code: {**item, "value": "weak", "justification": "Debole."}
        if item.get("value") == "good"
        else item
        for code, item in ANSWERS.items()
    }
    b = submit(grids.evaluator_b, grids.assignment_b, low)
    assert submitted_a.total - b.total > Decimal(20)
    found = actions.divergence(grids.committee, [submitted_a, b])
    assert found.flag and "apart" in found.reasons[0]
    same = actions.divergence(grids.committee, [submitted_a, submitted_a])
    assert not same.flag


def test_verify_replays_stored_results_and_fails_on_a_difference(grids, submitted_a):
    out = StringIO()
    call_command("grids", "verify", stdout=out)
    assert "1 submitted assessments checked, 0 differ." in out.getvalue()
    Assessment.objects.filter(pk=submitted_a.pk).update(
        result={**submitted_a.result, "total": "99.00"}
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("grids", "verify", stdout=out)
    assert f"assessment {submitted_a.pk}" in out.getvalue()


def test_a_company_assesses_itself_on_the_csr_grid(cast, catalogue):
    template = catalogue["csr-self-assessment"]
    with pytest.raises(PermissionDenied):
        actions.start_self_assessment(cast.lazio_officer, template, cast.toscana)
    assessment = actions.start_self_assessment(cast.toscana_officer, template, cast.toscana)
    assert actions.start_self_assessment(cast.toscana_officer, template, cast.toscana) == assessment
    parsed = template.engine_template()
    given = random_answers(parsed, random.Random(1))
    assert set(given) == {node.code for node in scored_nodes(parsed)}
    actions.save_draft(cast.toscana_officer, assessment, given, {"size_class": "micro"})
    assessment = actions.submit_assessment(cast.toscana_officer, assessment)
    assert assessment.mode == Assessment.Mode.SELF and assessment.is_submitted
    skipped = [e for e in assessment.trace if not e["applicable"]]
    assert skipped, "area 7 does not apply to micro firms"
