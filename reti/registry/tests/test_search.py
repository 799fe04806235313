"""Full-text search over the registry, on the presentation's facts (SQLite and PostgreSQL)."""

import pytest
from django.utils import translation

from reti.registry.models import Network
from reti.registry.search import rebuild_index, search
from reti.registry.search.text import query_terms


@pytest.fixture(scope="module")
def _module_index(_module_presentation, django_db_blocker):
    # Rolled back with the module's presentation data.
    with django_db_blocker.unblock():
        rebuild_index()


@pytest.fixture
def indexed(_module_index, presentation):
    # Hits carry titles in the active language: Italian unless a test says otherwise.
    with translation.override("it"):
        yield presentation


def titles(results, kind):
    group = next((g for g in results.groups if g.kind.key == kind), None)
    return [hit.title for hit in group.hits] if group else []


@pytest.mark.parametrize("query", ["ESFCoNet", "esfconet", "ESFCONET"])
def test_acronym_finds_the_network_first(indexed, query):
    results = search(query)
    assert results.groups[0].kind.key == "network"
    assert results.groups[0].hits[0].acronym == "ESFCoNet"


def test_without_accent_finds_the_accented_title(indexed):
    assert "Inclusione sociale e nuove povertà" in titles(search("poverta"), "working_group")
    assert "Inclusione sociale e nuove povertà" in titles(search("POVERTÀ"), "working_group")


@pytest.mark.parametrize("query", ["inclusioni", "nuove inclusioni sociali"])
def test_italian_plural_finds_the_singular(indexed, query):
    assert "Inclusione sociale e nuove povertà" in titles(search(query), "working_group")


def test_italian_stemming_reaches_the_objectives(indexed):
    projects = search("detenuto", kind="project")
    assert projects.groups, "the project about prisoners' job inclusion says 'detenuti'"
    assert any("penale" in title for title in titles(projects, "project"))


def test_english_words_find_the_english_title(indexed):
    with translation.override("en"):
        results = search("poverty")
    assert "Social inclusion and new poverty" in titles(results, "working_group")
    with translation.override("en"):
        assert titles(search("poverties"), "working_group") == titles(results, "working_group")


def test_territories_are_found_by_name(indexed):
    assert "Toscana" in titles(search("toscana"), "territory")
    assert "Roma" in titles(search("Roma", kind="territory", limit=50), "territory")


def test_a_typo_gets_a_suggestion_and_no_results(indexed):
    results = search("Tosacna")
    assert results.groups == []
    assert results.suggestion == "Toscana"
    assert search("ESFCoNte").suggestion == "ESFCoNet"
    assert search("Toscana").suggestion == ""


def test_groups_count_their_matches(indexed):
    results = search("rete")
    counts = {group.kind.key: group.count for group in results.groups}
    assert counts["network"] == Network.objects.filter(name_it__icontains="rete").count()
    assert results.total == sum(counts.values())
    assert [g.kind.key for g in results.groups] == sorted(
        counts, key=["network", "project", "organisation", "working_group", "territory"].index
    )


def test_one_kind_is_paginated(indexed):
    first = search("san", kind="territory", limit=3)
    second = search("san", kind="territory", limit=3, offset=3)
    assert len(first.groups[0].hits) == 3
    assert {h.object_id for h in first.groups[0].hits}.isdisjoint(
        h.object_id for h in second.groups[0].hits
    )


@pytest.mark.parametrize(
    ("query", "finds_network"),
    [
        ('"ESFCoNet', True),
        ("ESFCoNet* ^ - : () NEAR", False),
        ("(ESFCoNet)*:^-", True),
        ("'; DROP TABLE registry_network; --", False),
        ("ESFCoNet \x00 🤝", True),
        ("a" * 10_000, False),
        ("{names body}: x", False),
        ("", False),
    ],
)
def test_odd_queries_are_plain_words(indexed, query, finds_network):
    results = search(query)
    assert all(term.isalnum() for term in results.terms)
    assert bool(titles(results, "network")) is finds_network
    assert Network.objects.filter(acronym="ESFCoNet").exists()


def test_query_terms_are_bounded():
    assert query_terms("Povertà, “inclusione”  e   AND") == ["poverta", "inclusione", "e", "and"]
    assert len(query_terms(" ".join(f"w{i}" for i in range(100)))) == 8
    assert query_terms("x" * 1000) == ["x" * 40]


def test_a_prefix_finds_the_words_it_starts(indexed):
    assert "Toscana" in titles(search("tosc"), "territory")
    # "detenu" starts a word of a project's objectives only, no name: still found.
    assert titles(search("detenu", kind="project"), "project") == titles(
        search("detenuti", kind="project"), "project"
    )


def test_a_name_ranks_above_a_text_that_mentions_it(indexed):
    network = Network.objects.get(acronym="ESFCoNet")
    assert search("esfconet", kind="network").groups[0].hits[0].object_id == network.pk


def test_sqlite_expands_prefixes_of_known_words_instead_of_merging_postings(indexed):
    """FTS5 merges every posting of a prefix query up front: for a word most documents share,
    that alone took 150 ms. Words of the vocabulary are matched as words instead."""
    from django.db import connection

    from reti.registry.search import sqlite

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 only")

    expression = sqlite._match(["toscana", "detenu"])
    assert '"toscana"' in expression and '"toscana"*' not in expression
    assert '"detenu"*' in expression  # no name starts with it: FTS5's own prefix query


def test_postgresql_plans_every_kind_on_the_full_text_index(indexed):
    """The planner, estimating words and kinds as independent, scanned a whole table for a
    kind without matches; a search reads every kind through the GIN index, and the planner's
    settings are as before once it is done."""
    from django.db import connection

    from reti.registry.search import postgres

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")

    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
            )
            return cursor.fetchone()

    sql, params = postgres._tsquery(["toscana"])
    with postgres.searching(), connection.cursor() as cursor:
        assert settings() == ("off", "off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM registry_searchdocument WHERE kind = 'project' "
            f"AND search_vector @@ {sql} LIMIT 1000",
            params,
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    # No walk of the table or of the kind's rows that a LIMIT would be expected to cut short.
    assert "Seq Scan" not in plan and "Index Scan" not in plan.replace("Bitmap Index Scan", "")
    assert settings() == ("on", "on")
    assert "Toscana" in titles(search("tosc"), "territory")
