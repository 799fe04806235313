"""The search index follows saves and deletes, and the rebuild command fills it."""

import pytest
from django.core.management import call_command

from reti.registry.models import SearchDocument
from reti.registry.search import index_record, remove_record, search
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def titles(results, kind):
    group = next((g for g in results.groups if g.kind.key == kind), None)
    return [hit.title for hit in group.hits] if group else []


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


def test_direct_index_and_remove_keep_one_document():
    network = f.NetworkFactory(name_it="Rete della pesca sostenibile")
    index_record(network)
    index_record(network)
    assert SearchDocument.objects.filter(kind="network", object_id=network.pk).count() == 1
    assert titles(search("pesca"), "network") == [network.name_it]
    remove_record(network)
    assert search("pesca").groups == []


def test_rebuild_command_indexes_every_kind(capsys):
    f.ProjectFactory(title_it="Progetto sulla mobilità dolce", acronym="MOBI")
    f.OrganisationFactory(name_it="Cooperativa La Quercia")
    call_command("rebuild_search_index")
    assert "Search index rebuilt" in capsys.readouterr().out
    assert titles(search("mobilita"), "project") == ["Progetto sulla mobilità dolce"]
    assert titles(search("quercia"), "organisation") == ["Cooperativa La Quercia"]


def test_each_kind_finds_only_its_own_records_when_their_documents_interleave(
    django_capture_on_commit_callbacks,
):
    """Records indexed one after the other in different kinds: each kind's group has its
    own, and an English text that says "network" or "project" does not make a record one."""
    with django_capture_on_commit_callbacks(execute=True):
        first = f.NetworkFactory(name_it="Rete delle filiere solidali", acronym="RFS")
        project = f.ProjectFactory(
            title_it="Progetto filiere solidali", objectives_en="A network of solidarity chains."
        )
        org = f.OrganisationFactory(name_it="Consorzio filiere solidali network project")
        second = f.NetworkFactory(name_it="Seconda rete delle filiere solidali", acronym="SRFS")
    results = search("filiere solidali")
    assert sorted(titles(results, "network")) == sorted([first.name_it, second.name_it])
    assert titles(results, "project") == [project.title_it]
    assert titles(results, "organisation") == [org.name_it]
    assert {group.kind.key: group.count for group in results.groups} == {
        "network": 2, "project": 1, "organisation": 1,
    }  # fmt: skip
    assert titles(search("solidali", kind="network", offset=1, limit=5), "network") == [
        sorted([first, second], key=lambda n: (len(n.name_it), n.pk))[1].name_it
    ]


def test_sqlite_reads_a_kind_by_its_span_until_another_kind_s_documents_fall_within_it(
    django_capture_on_commit_callbacks,
):
    """After a rebuild each kind's documents are together and its span alone says the kind;
    a network indexed afterwards stretches the networks' span over the projects', and the
    networks are then told by the phrase on the kind column as well."""
    from django.db import connection

    from reti.registry.search import rebuild_index, sqlite

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 only")

    f.NetworkFactory(name_it="Rete dei mercati contadini")
    f.ProjectFactory(title_it="Progetto dei mercati contadini")
    rebuild_index()

    def expression(kind):
        return sqlite._kind_matches(kind, '"mercati"', 10)[1][0]

    assert expression("network") == expression("project") == '"mercati"'
    with django_capture_on_commit_callbacks(execute=True):
        late = f.NetworkFactory(name_it="Rete dei mercati rionali")
    assert expression("network") == 'kind : "network" AND ("mercati")'
    assert expression("project") == 'kind : "project" AND ("mercati")'
    assert sorted(titles(search("mercati"), "network")) == sorted(
        ["Rete dei mercati contadini", late.name_it]
    )
    assert titles(search("mercati"), "project") == ["Progetto dei mercati contadini"]
