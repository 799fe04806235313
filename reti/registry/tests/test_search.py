"""Full-text search over the registry, on the presentation's facts (SQLite and PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.utils import translation

from reti.registry.models import Network, SearchDocument
from reti.registry.search import index_record, rebuild_index, remove_record, search
from reti.registry.search.text import query_terms
from reti.registry.tests import factories as f


@pytest.fixture
def indexed(presentation):
    rebuild_index()
    return presentation


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


@pytest.mark.django_db
def test_records_are_indexed_when_saved_and_dropped_when_deleted(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        network = f.NetworkFactory(name_it="Rete di prova sull'agricoltura sociale", acronym="RPAS")
    assert titles(search("agricoltura"), "network") == [network.name_it]
    with django_capture_on_commit_callbacks(execute=True):
        network.name_it = "Rete di prova sull'economia circolare"
        network.save()
    assert search("agricoltura").groups == []
    assert titles(search("circolare"), "network") == [network.name_it]
    with django_capture_on_commit_callbacks(execute=True):
        network.delete()
    assert search("circolare").groups == []
    assert not SearchDocument.objects.filter(kind="network").exists()


@pytest.mark.django_db
def test_direct_index_and_remove_keep_one_document():
    network = f.NetworkFactory(name_it="Rete della pesca sostenibile")
    index_record(network)
    index_record(network)
    assert SearchDocument.objects.filter(kind="network", object_id=network.pk).count() == 1
    assert titles(search("pesca"), "network") == [network.name_it]
    remove_record(network)
    assert search("pesca").groups == []


@pytest.mark.django_db
def test_rebuild_command_indexes_every_kind(capsys):
    f.ProjectFactory(title_it="Progetto sulla mobilità dolce", acronym="MOBI")
    f.OrganisationFactory(name_it="Cooperativa La Quercia")
    call_command("rebuild_search_index")
    assert "Search index rebuilt" in capsys.readouterr().out
    assert titles(search("mobilita"), "project") == ["Progetto sulla mobilità dolce"]
    assert titles(search("quercia"), "organisation") == ["Cooperativa La Quercia"]
