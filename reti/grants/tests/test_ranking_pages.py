"""The pages after the deadline with the cast: the officer's page, runs published and not,
the public ranking, appeals, scorrimento; wrong users, anonymous and wrong methods."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reti.grants import actions, replay, runs
from reti.grants.models import Appeal, Application, RankingRun

from .evaluation import final_ranking, later

pytestmark = pytest.mark.django_db
Kind = RankingRun.Kind


def _url(name, *args):
    with translation.override("it"):
        return reverse(name, args=args)


@pytest.fixture
def outsiders(grants, panel, cast):
    """Everyone who is not the call's officer, by name (None: anonymous)."""
    return {
        "applicant_a": grants.applicant_a,
        "applicant_b": grants.applicant_b,
        "evaluator": panel.evaluator,
        "conflicted": panel.conflicted,
        "chair": panel.chair,
        "managing_authority": cast.toscana_officer,  # the programme's managing authority
        "other_secretariat": cast.secretariat,
        "outsider": cast.outsider,
        "anonymous": None,
    }


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def test_an_unpublished_run_is_the_officers_alone(client, world, grants, outsiders, cast):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    for name, user in outsiders.items():
        _as(client, user)
        for view in ("grants:run_detail", "grants:run_export"):
            assert client.get(_url(view, run.pk)).status_code == 404, (name, view)
        public = client.get(_url("grants:ranking_public", grants.call.code))
        assert public.status_code == 200 and 'id="no-ranking"' in public.text, name
        detail = client.get(_url("grants:application_detail", world["A"].pk))
        if name == "applicant_a":
            assert "Nessuna graduatoria pubblicata" in detail.text  # the score stays hidden
        response = client.post(_url("grants:run_publish", run.pk))
        assert response.status_code in (302, 404), name
        if response.status_code == 302:
            assert "accedi" in response["Location"]
    run.refresh_from_db()
    assert run.published_at is None
    for user in (grants.officer, cast.staff):
        _as(client, user)
        assert client.get(_url("grants:run_detail", run.pk)).status_code == 200
    _as(client, grants.officer)
    page = client.get(_url("grants:run_detail", run.pk))
    assert 'id="run-unpublished"' in page.text and 'id="publish"' in page.text


def test_the_officers_page_and_its_forms_refuse_everyone_else(client, world, grants, outsiders):
    for name, user in outsiders.items():
        _as(client, user)
        for view, method in (
            ("grants:call_ranking", "get"),
            ("grants:run_create", "post"),
            ("grants:committee_add", "post"),
            ("grants:scroll", "post"),
        ):
            response = getattr(client, method)(_url(view, grants.call.code), {"kind": "final"})
            if user is None:
                assert response.status_code == 302 and "accedi" in response["Location"]
            else:
                assert response.status_code == 404, (name, view)
    assert not RankingRun.objects.exists()


def test_wrong_methods(client, world, grants):
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    _as(client, grants.officer)
    code = grants.call.code
    assert client.post(_url("grants:call_ranking", code)).status_code == 405
    assert client.post(_url("grants:ranking_public", code)).status_code == 405
    for view in ("run_create", "committee_open", "committee_add", "scroll"):
        assert client.get(_url(f"grants:{view}", code)).status_code == 405
    assert client.get(_url("grants:run_publish", run.pk)).status_code == 405
    assert client.post(_url("grants:run_detail", run.pk)).status_code == 405
    assert client.post(_url("grants:run_export", run.pk)).status_code == 405
    assert client.delete(_url("grants:appeal_lodge", world["A"].pk)).status_code == 405


def test_the_officer_opens_the_committee_from_the_page(client, grants, panel):
    from .evaluation import admit, close, submitted

    application = submitted(grants, grants.org_a)
    admit(application)
    close(grants.call)
    _as(client, grants.officer)
    url = _url("grants:committee_open", grants.call.code)
    response = client.post(url, {"chair": "nobody", "evaluators_per_subject": 1})
    assert response.status_code == 200 and "nobody" in response.text
    grants.call.refresh_from_db()
    assert grants.call.committee is None
    response = client.post(
        url,
        {"chair": "chair", "members": "evaluator, conflicted", "evaluators_per_subject": 1},
    )
    assert response.status_code == 302
    grants.call.refresh_from_db()
    committee = grants.call.committee
    assert committee.subjects.get().subject == application
    # The officer manages it on the grids pages; the evaluator in conflict is never given
    # A's application; the managing authority does not see the committee.
    detail = _url("grids:committee_detail", committee.pk)
    assert client.get(detail).status_code == 200
    assert client.post(_url("grids:committee_assign_balanced", committee.pk)).status_code == 302
    assignment = committee.assignments.get()
    assert assignment.evaluator != panel.conflicted
    _as(client, panel.conflicted)
    assert client.get(detail).status_code == 200  # a member sees the committee
    _as(client, grants.applicant_a)
    assert client.get(detail).status_code == 404


def test_publish_appeal_and_decide_through_the_pages(
    client, world, grants, cast, django_capture_on_commit_callbacks
):
    _as(client, grants.officer)
    response = client.post(_url("grants:run_create", grants.call.code), {"kind": "provisional"})
    run = RankingRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        _url("grants:run_detail", run.pk)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("grants:run_publish", run.pk)).status_code == 302
    run.refresh_from_db()
    assert run.published_at is not None
    # Public: organisations, protocol numbers and amounts; no person's name.
    _as(client, None)
    public = client.get(_url("grants:ranking_public", grants.call.code))
    assert world["C"].receipt.protocol_number in public.text
    assert "Fondazione C (prova)" in public.text and "8.000,00" in public.text
    assert grants.applicant_a.username not in public.text
    export = client.get(_url("grants:run_export", run.pk))
    assert export.status_code == 200
    assert replay.as_data(*replay.run(export.content.decode(), "x.json")) == run.result
    # B appeals against its score; A cannot appeal for B; the officer decides.
    _as(client, grants.applicant_a)
    assert client.get(_url("grants:appeal_lodge", world["B"].pk)).status_code == 404
    detail = client.get(_url("grants:application_detail", world["A"].pk))
    assert "Finanziata" in detail.text and 'id="appeal"' in detail.text
    _as(client, grants.applicant_b)
    url = _url("grants:appeal_lodge", world["B"].pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"against": "score", "text": ""}).status_code == 200
    assert client.post(url, {"against": "score", "text": "Punteggio basso"}).status_code == 302
    appeal = Appeal.objects.get()
    decide = _url("grants:appeal_decide", appeal.pk)
    for user in (grants.applicant_b, cast.toscana_officer, cast.secretariat):
        _as(client, user)
        assert client.post(decide, {"decision": "upheld", "outcome": "x"}).status_code == 404
    _as(client, None)
    assert "accedi" in client.post(decide, {"decision": "upheld", "outcome": "x"})["Location"]
    _as(client, grants.officer)
    page = client.get(_url("grants:call_ranking", grants.call.code))
    assert "Punteggio basso" in page.text
    assert client.post(decide, {"decision": "rejected", "outcome": "Coerente"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.decision == "rejected" and appeal.decided_by == grants.officer


def test_scorrimento_from_the_page_and_by_the_applicants_withdrawal(
    client, world, grants, outsiders
):
    final = final_ranking(grants)
    _as(client, grants.officer)
    with later(grants.call.appeal_window_days + 2):
        page = client.get(_url("grants:call_ranking", grants.call.code))
        assert 'id="scroll-form"' in page.text
        response = client.post(
            _url("grants:scroll", grants.call.code),
            {"application": world["C"].pk, "kind": "savings", "amount": "", "reason": "Economie"},
        )
        assert response.status_code == 200 and "economie" in response.text
        response = client.post(
            _url("grants:scroll", grants.call.code),
            {
                "application": world["C"].pk,
                "kind": "savings",
                "amount": "1000,00",
                "reason": "Economie a consuntivo",
            },
        )
        assert response.status_code == 302
        scroll = RankingRun.objects.current(grants.call)
        assert scroll.kind == Kind.SCROLL and scroll.previous == final
        assert scroll.entries.get(application=world["B"]).granted == Decimal("6000.00")
        # A withdraws (rinuncia) from its page: B is completed.
        _as(client, grants.applicant_a)
        detail = client.get(_url("grants:application_detail", world["A"].pk))
        assert 'id="withdraw"' in detail.text
        _as(client, grants.applicant_b)
        assert client.post(_url("grants:application_withdraw", world["A"].pk)).status_code == 404
        _as(client, grants.applicant_a)
        assert client.post(_url("grants:application_withdraw", world["A"].pk)).status_code == 302
    assert Application.objects.get(pk=world["A"].pk).status == "withdrawn"
    latest = RankingRun.objects.current(grants.call)
    assert latest.number == scroll.number + 1
    assert latest.entries.get(application=world["B"]).granted == Decimal("8000.00")
    assert runs.replays(latest)
    events = json.loads(runs.export_text(latest))["events"]
    assert [e["kind"] for e in events] == ["savings", "withdrawn"]


def test_the_open_dataset_lists_published_rankings_only(client, world, grants):
    from reti.opendata.registry import by_code

    dataset = by_code("graduatorie-bandi")
    run = actions.run_ranking(grants.officer, grants.call, Kind.PROVISIONAL)
    assert list(dataset.rows()) == []
    actions.publish_run(grants.officer, run)
    rows = list(dataset.rows())
    assert len(rows) == 4
    values = dict(zip(dataset.table.names, dataset.table.values(rows[0]), strict=True))
    assert values["bando"] == grants.call.code and values["protocollo"]
    response = client.get(_url("opendata:detail", "graduatorie-bandi") + "?format=csv-intl")
    assert response.status_code == 200
