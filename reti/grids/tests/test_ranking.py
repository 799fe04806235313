"""The committee's ranking: the engine's `rank` over the consensus results, with the declared
tie-breaks and the recorded seed, on a page, in its download and in the API."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reti.grids import queries
from reti.grids.engine.ranking import Entry, lot, rank
from reti.registry.tests.api_fixtures import bearer

from .conftest import GOOD, answers, decide

pytestmark = pytest.mark.django_db


def test_ranking_orders_consensus_results_and_lists_the_undecided(cast, decided):
    ranking = queries.committee_ranking(decided.grids.committee)
    assert [row.subject for row in ranking.rows] == [cast.lazio, cast.toscana]
    assert [row.position for row in ranking.rows] == [1, 2]
    assert ranking.rows[0].total > ranking.rows[1].total
    assert ranking.rows[0].decided_by == "total"
    assert ranking.pending == [decided.grids.subject]


def test_equal_totals_are_split_by_the_declared_tie_breaks_and_the_seed(cast, decided):
    committee = decided.grids.committee
    # Same total as Toscana's, but a different A1: the node tie-break decides.
    third = decide(
        decided.grids,
        cast.trento,
        answers(
            A1={**GOOD, "value": "excellent", "justification": "Ottimo."},
            A2={**GOOD, "value": "adequate", "evidence": [{"kind": "document", "ref": "x"}]},
        ),
    )
    committee.tie_breaks = ["node:A1", "lot"]
    committee.full_clean()
    committee.save()
    ranking = queries.committee_ranking(committee)
    by_subject = {row.subject: row for row in ranking.rows}
    assert third.result["total"] == decided.toscana.result["total"]
    assert by_subject[cast.trento].position < by_subject[cast.toscana].position
    assert by_subject[cast.trento].decided_by == "node:A1"
    # Reproducible by anyone from the stored data and the recorded seed.
    entries = [
        Entry(row.subject_key, row.total, row.scores, row.submitted_at, row.outcome)
        for row in ranking.rows
    ]
    again = rank(list(reversed(entries)), ["node:A1", "lot"], committee.ranking_seed)
    assert [r.entry.subject for r in again] == [row.subject_key for row in ranking.rows]
    assert all(row.lot == lot(committee.ranking_seed, row.subject_key) for row in ranking.rows)


def test_only_known_tie_breaks_may_be_declared(decided):
    committee = decided.grids.committee
    for wrong in (["node:NOPE"], ["oldest"], "lot", ["lot", "lot"]):
        committee.tie_breaks = wrong
        with pytest.raises(ValidationError) as error:
            committee.full_clean()
        assert "tie_breaks" in error.value.message_dict


def test_page_shows_the_tie_breaks_the_seed_and_the_rows(client, cast, decided):
    committee = decided.grids.committee
    committee.tie_breaks = ["node:A1", "submitted_at", "lot"]
    committee.save()
    client.force_login(decided.grids.secretary)
    page = client.get(reverse("grids:committee_ranking", args=[committee.pk])).content.decode()
    assert committee.ranking_seed in page
    assert "il punteggio più alto di A1" in page
    assert "il sorteggio dal seme" in page
    assert page.index(cast.lazio.name_it) < page.index(cast.toscana.name_it)
    assert "Cooperativa candidata" in page  # undecided, listed apart


def test_download_holds_exactly_the_pages_table(client, cast, decided):
    committee = decided.grids.committee
    committee.tie_breaks = ["node:A1", "lot"]
    committee.save()
    client.force_login(decided.grids.chair)
    url = reverse("grids:committee_ranking", args=[committee.pk])
    response = client.get(url, {"format": "csv-intl"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "posizione",
        "soggetto",
        "chiave",
        "esito",
        "punteggio",
        "massimo",
        "punti_A1",
        "presentata_il",
        "deciso_da",
        "sorteggio",
    ]
    ranking = queries.committee_ranking(committee)
    assert [r[1] for r in rows[1:]] == [str(row.subject) for row in ranking.rows]
    assert [r[0] for r in rows[1:]] == ["1", "2"]
    assert rows[1][3] == "ammissibile"
    assert rows[1][9] == ranking.rows[0].lot
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_api_gives_the_same_ranking_to_members(client, cast, decided):
    committee = decided.grids.committee
    committee.tie_breaks = ["lot"]
    committee.save()
    url = reverse("api:grid_committee_ranking", args=[committee.pk])
    response = client.get(url, headers=bearer(decided.grids.evaluator_b))
    assert response.status_code == 200
    data = json.loads(response.content)
    ranking = queries.committee_ranking(committee)
    assert data["seed"] == committee.ranking_seed
    assert data["tie_breaks"] == ["lot"]
    assert [row["subject_key"] for row in data["rows"]] == [r.subject_key for r in ranking.rows]
    assert data["rows"][0]["total"] == str(ranking.rows[0].total)
    assert data["pending"] == ["Cooperativa candidata"]


def test_ranking_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert "/api/v1/grids/committees/{committee_id}/ranking" in schema["paths"]
