"""After the deadline: the committee through grids, ranking runs stored whole and replayable,
publication, appeals and scorrimento (the admissibility decisions are set directly)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reti.grants import actions, replay, runs
from reti.grants.models import Admissibility, Appeal, Application, Quota, RankingRun
from reti.registry.tests import factories as f

from .evaluation import final_ranking as _final
from .evaluation import later as _later
from .evaluation import rescore, score

pytestmark = pytest.mark.django_db
Kind = RankingRun.Kind


def test_the_committee_is_a_grids_committee_on_the_calls_grid(world, grants, panel):
    committee = grants.call.committee
    assert committee.template == grants.call.grid_template
    subjects = {row.subject_id for row in committee.subjects.all()}
    assert subjects == {world[n].pk for n in "ABC"}  # D is not admissible
    # The member from organisation A is never given A's application (conflict detected).
    assert not committee.assignments.filter(
        evaluator=panel.conflicted, subject_id=world["A"].pk
    ).exists()
    assert committee.assignments.count() == 3
    # Opening twice is refused; only the call's officers open it.
    with pytest.raises(PermissionDenied):
        actions.open_committee(grants.officer, grants.call, chair=panel.chair)


def test_a_run_is_stored_whole_ranks_ties_and_funds_in_part(world, grants):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    # C first (100); A and B equal (75): A was sent first; 21,000 = 8,000 + 8,000 + 5,000.
    rows = {r["application"]: r for r in run.result["ranking"]}
    key = {n: world[n].receipt.protocol_number for n in "ABCD"}
    assert [rows[key[n]]["position"] for n in "CAB"] == [1, 2, 3]
    assert rows[key["A"]]["decided_by"] == "submitted_at"
    assert rows[key["B"]]["status"] == "partially_funded"
    assert rows[key["B"]]["granted"] == "5000.00"
    assert rows[key["D"]]["status"] == "not_admissible"
    assert run.engine_version and run.seed == grants.call.committee.ranking_seed
    assert run.published_at is None and run.entries.count() == 4


def test_the_exported_replay_file_gives_the_stored_result(world, grants):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    text = runs.export_text(run)
    result, steps = replay.run(text, "export.json")
    assert json.loads(json.dumps(replay.as_data(result, steps))) == run.result
    run.refresh_from_db()
    assert replay.as_data(*replay.run(text, "export.json")) == run.result


def test_scores_are_hidden_until_published_then_final_after_the_window(world, grants):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    with pytest.raises(ValidationError, match="provvisoria"):
        actions.run_ranking(grants.officer, grants.call, Kind.FINAL)
    with pytest.raises(PermissionDenied):
        actions.publish_run(grants.applicant_a, run)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        actions.free_money(grants.officer, world["A"], "withdrawn")
    actions.publish_run(grants.officer, run)
    run.refresh_from_db()
    window = grants.call.appeal_window_days
    assert timezone.localtime(run.appeal_deadline).date() == (
        timezone.localdate() + datetime.timedelta(days=window)
    )
    with pytest.raises(ValidationError, match="ricorsi"):
        actions.run_ranking(grants.officer, grants.call, Kind.FINAL)
    with _later(window + 1):
        final = actions.run_ranking(grants.officer, grants.call, Kind.FINAL)
        actions.publish_run(grants.officer, final)
    final.refresh_from_db()
    today = timezone.localdate() + datetime.timedelta(days=window + 1)
    assert final.valid_until == today.replace(year=today.year + 1)  # 12 months
    assert RankingRun.objects.current(grants.call) == final
    grants.call.committee.refresh_from_db()
    assert grants.call.committee.results_published  # each applicant reads its sheet now
    with _later(window + 2), pytest.raises(ValidationError, match="scorrimento"):
        actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)


def test_a_withdrawal_after_the_ranking_scrolls_and_mails_the_newly_funded(
    world, grants, django_capture_on_commit_callbacks
):
    final = _final(grants)
    grants.applicant_b.email = "b@example.org"
    grants.applicant_b.save()
    mail.outbox.clear()
    with (
        _later(grants.call.appeal_window_days + 2),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.withdraw_application(grants.applicant_a, world["A"])
    scroll = RankingRun.objects.current(grants.call)
    assert scroll.kind == Kind.SCROLL and scroll.previous == final and scroll.published_at
    by_app = {e.application_id: e for e in scroll.entries.all()}
    assert by_app[world["A"].pk].status == "withdrawn"
    assert (by_app[world["B"].pk].status, by_app[world["B"].pk].granted) == (
        "funded",
        Decimal("8000.00"),
    )
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    assert "Scorrimento" in mail.outbox[0].subject
    # The scorrimento run replays too, events included.
    assert runs.replays(scroll)
    assert runs.document(scroll)["events"][0]["kind"] == "withdrawn"


def test_savings_and_revocations_by_the_officer_and_no_scorrimento_after_validity(world, grants):
    final = _final(grants)
    with _later(grants.call.appeal_window_days + 2):
        with pytest.raises(PermissionDenied):
            actions.free_money(grants.applicant_a, world["C"], "revoked")
        with pytest.raises(ValidationError, match="economie"):
            actions.free_money(grants.officer, world["C"], "savings")
        run = actions.free_money(grants.officer, world["C"], "savings", Decimal("2000"))
    rows = {e.application_id: e for e in run.entries.all()}
    assert rows[world["C"].pk].granted == Decimal("6000.00")
    assert rows[world["B"].pk].granted == Decimal("7000.00")  # 2,000 more
    days = (final.valid_until - timezone.localdate()).days + 1
    with _later(days), pytest.raises(ValidationError, match="scaduta"):
        actions.free_money(grants.officer, world["A"], "revoked")


def test_an_appeal_against_admissibility_upheld_joins_the_committee_and_reruns(
    world, grants, panel
):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    from reti.grants.tests.factories import applicant

    rep_d = applicant(world["D"].organisation, "applicant_d")
    with pytest.raises(ValidationError):  # not published yet
        actions.lodge_appeal(rep_d, world["D"], "admissibility", "Eravamo in regola")
    actions.publish_run(grants.officer, run)
    with pytest.raises(PermissionDenied):
        actions.lodge_appeal(grants.applicant_a, world["D"], "admissibility", "Per D")
    appeal = actions.lodge_appeal(rep_d, world["D"], "admissibility", "Eravamo in regola")
    with pytest.raises(ValidationError, match="stesso oggetto"):
        actions.lodge_appeal(rep_d, world["D"], "admissibility", "Ancora")
    with pytest.raises(PermissionDenied):
        actions.decide_appeal(rep_d, appeal, True, "Da me")
    with pytest.raises(ValidationError, match="Motivare"):
        actions.decide_appeal(grants.officer, appeal, True, " ")
    with _later(grants.call.appeal_window_days + 1), pytest.raises(ValidationError):
        actions.run_ranking(grants.officer, grants.call, Kind.FINAL)  # appeal pending
    actions.decide_appeal(grants.officer, appeal, True, "Il documento era allegato")
    assert Admissibility.objects.get(application=world["D"]).outcome == "admitted"
    assert Admissibility.objects.get(application=world["D"]).history.first().history_user == (
        grants.officer
    )
    committee = grants.call.committee
    assert committee.subjects.filter(subject_id=world["D"].pk).exists()
    with pytest.raises(ValidationError, match="collegiale"):
        actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    from reti.grids import actions as grids

    grids.assign_balanced(grants.officer, committee)
    score(committee, world["D"], "excellent", panel.chair)
    rerun = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    assert f"n. {appeal.pk}" in rerun.reason
    rows = {e.application_id: e for e in rerun.entries.all()}
    assert rows[world["D"].pk].status == "funded"
    changes = {c["key"] for c in runs.diff(rerun, run)}
    assert world["D"].receipt.protocol_number in changes


def test_an_appeal_against_the_score_reopens_the_consensus_and_reruns(world, grants, panel):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    actions.publish_run(grants.officer, run)
    appeal = actions.lodge_appeal(grants.applicant_b, world["B"], "score", "Punteggio basso")
    with _later(grants.call.appeal_window_days + 1), pytest.raises(ValidationError):
        actions.lodge_appeal(grants.applicant_a, world["A"], "score", "Tardi")
    actions.decide_appeal(grants.officer, appeal, True, "Criterio A valutato male")
    appeal.refresh_from_db()
    assert appeal.decision == Appeal.Decision.UPHELD and appeal.decided_by == grants.officer
    consensus = runs.consensus_of(grants.call)[world["B"].pk]
    assert consensus.state == "draft"
    rescore(grants.call.committee, world["B"], "excellent", panel.chair)
    rerun = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    rows = {e.application_id: e for e in rerun.entries.all()}
    assert rows[world["B"].pk].score == Decimal("100.000")
    assert rows[world["B"].pk].status == "funded"
    assert rows[world["A"].pk].status == "partially_funded"


def test_a_rejected_appeal_changes_nothing(world, grants):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    actions.publish_run(grants.officer, run)
    appeal = actions.lodge_appeal(grants.applicant_b, world["B"], "score", "Punteggio basso")
    actions.decide_appeal(grants.officer, appeal, False, "Valutazione coerente con la griglia")
    assert runs.consensus_of(grants.call)[world["B"].pk].state == "submitted"
    with pytest.raises(PermissionDenied):
        actions.decide_appeal(grants.officer, appeal, True, "Di nuovo")


def test_quotas_are_funded_first_through_the_web_flow(world, grants):
    territory = f.TerritoryFactory()
    Application.objects.filter(pk=world["B"].pk).update(territory=territory)
    Quota.objects.create(line=grants.line, territory=territory, amount=Decimal("8000.00"))
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    rows = {e.application_id: e for e in run.entries.all()}
    assert (rows[world["B"].pk].status, rows[world["B"].pk].quota) == ("funded", territory.code)
    assert rows[world["A"].pk].status == "partially_funded"


def test_a_run_waits_for_every_admissibility_decision(world, grants):
    Admissibility.objects.filter(application=world["D"]).update(outcome="pending")
    with pytest.raises(ValidationError, match="ammissibilità"):
        actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    with pytest.raises(PermissionDenied):
        actions.run_ranking(grants.applicant_a, grants.call, Kind.PROVISIONAL)


def test_the_publication_mails_each_applicant_in_their_language(
    world, grants, django_capture_on_commit_callbacks
):
    from reti.accounts.models import SignUp

    grants.applicant_a.email = "a@example.org"
    grants.applicant_a.save()
    SignUp.objects.create(
        user=grants.applicant_b, language="en", privacy_accepted_at=timezone.now()
    )
    grants.applicant_b.email = "b@example.org"
    grants.applicant_b.save()
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_run(grants.officer, run)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Graduatoria provvisoria" in by_to["a@example.org"].subject
    assert "Provisional ranking" in by_to["b@example.org"].subject
    assert "Esito: Finanziata" in by_to["a@example.org"].body
    assert "ricorso" in by_to["a@example.org"].body


def test_a_second_call_officer_cannot_touch_this_call(world, grants, cast):
    with pytest.raises(PermissionDenied):
        actions.run_ranking(cast.toscana_officer, grants.call, Kind.PROVISIONAL)
    with pytest.raises(PermissionDenied):
        actions.run_ranking(cast.secretariat, grants.call, Kind.PROVISIONAL)


def test_the_calls_tie_breaks_become_the_engines(world, grants):
    from reti.grants.models import Call

    Call.objects.filter(pk=grants.call.pk).update(
        tie_breaks=["requested_amount", "protocol_number"]
    )
    Application.objects.filter(pk=world["A"].pk).update(requested_amount=Decimal("9000.00"))
    grants.call.refresh_from_db()
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    assert run.rules["tie_breaks"] == ["node:call:requested_amount", "submitted_at"]
    rows = {r["application"]: r for r in run.result["ranking"]}
    a, b = (rows[world[n].receipt.protocol_number] for n in "AB")
    # Equal scores (75): B asked less, so B comes first although A was sent first.
    assert (b["position"], a["position"]) == (2, 3)
    assert b["decided_by"] == "node:call:requested_amount"
    assert runs.replays(run)
