"""What each query word stands for: a whole word, the words it starts, a prefix (both engines)."""

import pytest

from reti.registry.search import index_record, rebuild_index, search
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def found(query, kind="network"):
    group = next((g for g in search(query).groups if g.kind.key == kind), None)
    return sorted(hit.title for hit in group.hits) if group else []


@pytest.fixture
def networks():
    made = [
        f.NetworkFactory(name_it="Rete per l'arte contemporanea", purpose_it="Mostre e musei."),
        f.NetworkFactory(name_it="Rete degli artefici", purpose_it="Sostegno ai ceramisti."),
        f.NetworkFactory(name_it="Rete dei musei civici", purpose_it="Archivi fotografici."),
    ]
    rebuild_index()
    return made


def test_a_word_that_starts_others_finds_them_too(networks):
    # "arte" is a whole word of one name and starts a word of another: the search box
    # cannot tell a finished word from one still being typed.
    assert found("arte") == ["Rete degli artefici", "Rete per l'arte contemporanea"]
    assert found("artefici") == ["Rete degli artefici"]


def test_whole_words_and_prefixes_mix_in_one_query(networks):
    assert found("rete artef") == ["Rete degli artefici"]
    # "ceramis" starts no name, only a word of a purpose: a prefix still finds it.
    assert found("artefici ceramis") == ["Rete degli artefici"]
    assert found("musei arte") == ["Rete per l'arte contemporanea"]
    assert found("musei fotograf") == ["Rete dei musei civici"]
    assert found("arte fotograf") == []


def test_a_word_added_to_a_name_is_found_as_a_prefix_at_once(networks):
    network = f.NetworkFactory(name_it="Rete dell'artigianato")
    index_record(network)
    assert found("artig") == ["Rete dell'artigianato"]
    assert "Rete dell'artigianato" in found("arti")


def test_postgresql_reads_a_common_word_span_by_span(networks, monkeypatch):
    """A kind is read a span of object ids at a time until enough matches are found, or all
    at once when the first spans promise few: the same matches, counted alike."""
    from django.db import connection

    from reti.registry.search import postgres

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    for n in range(12):
        index_record(f.NetworkFactory(name_it=f"Rete di prova {n} sulla cooperazione"))
    at_once = search("rete", kind="network", limit=20)
    monkeypatch.setattr(postgres, "SPAN", 1)
    monkeypatch.setattr(postgres, "SPAN_OF", "(object_id / 1)")
    for few, candidates in ((0, 1000), (0, 4), (10**9, 1000)):
        monkeypatch.setattr(postgres, "FEW", few)
        monkeypatch.setattr("reti.registry.search.CANDIDATES", candidates)
        spans = search("rete", kind="network", limit=20)
        assert spans.groups[0].count == min(at_once.groups[0].count, candidates)
        if candidates > 15:
            assert spans.groups[0].hits == at_once.groups[0].hits
    assert at_once.groups[0].count == 15


def test_postgresql_matches_words_as_whole_stems_and_the_rest_as_prefixes(networks):
    from django.db import connection

    from reti.registry.search import postgres

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    sql, params = postgres._tsquery(["arte", "ceramis"])
    assert params[0] == "'arte' | 'artefici'"  # whole words: no prefix of a common stem
    assert params[2] == "'ceramis':*"  # no name starts with it
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}::text", params)
        whole, prefix = cursor.fetchone()[0].split(" & ")
    assert ":*" not in whole and ":*" in prefix
