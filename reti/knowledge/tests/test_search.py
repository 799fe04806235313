"""Searching practices: words, stems, accents, attachment text; facets; similar practices."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reti.knowledge import actions, catalogue
from reti.knowledge.models import GoodPractice
from reti.registry import search as registry_search
from reti.registry.tests import factories as rf

from . import files
from .factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def searchable(cast, draft, django_capture_on_commit_callbacks):
    """Toscana's practice, with an attachment, validated and published through the actions."""
    theme = rf.ThemeFactory(code="inclusione", name_it="Inclusione sociale")
    draft.summary_it = "Percorsi di inserimento lavorativo per persone detenute."
    draft.description_en = "Work placements for prisoners in social cooperatives."
    actions.update_practice(cast.toscana_officer, draft, m2m={"themes": [theme]})
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_attachment(
            cast.toscana_officer,
            draft,
            SimpleUploadedFile("r.pdf", files.minimal_pdf("Rapporto sulla serigrafia artigianale")),
        )
        actions.submit_practice(cast.toscana_officer, draft)
        actions.validate_practice(cast.secretariat, draft, "Validata.")
        actions.publish_practice(cast.secretariat, draft)
    return draft


def _titles(client, **params):
    page = client.get(reverse("knowledge:practice_list"), params).content.decode()
    return page


@pytest.mark.parametrize(
    "query",
    [
        "serigrafia",  # only in the attachment
        "SERIGRAFÌA",  # case and accents do not matter
        "detenute",
        "detenuto",  # Italian stem
        "prisoner",  # English stem
        "cooperativ",  # prefix
    ],
)
def test_a_published_practice_is_found(client, searchable, query):
    assert searchable.title_it in _titles(client, q=query)


def test_a_word_found_nowhere_finds_nothing(client, searchable):
    page = _titles(client, q="astronave")
    assert searchable.title_it not in page
    assert 'id="no-results"' in page


def test_unpublished_practices_are_not_found(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        practice = actions.create_practice(
            cast.toscana_officer,
            PracticeFactory.build(
                title_it="Bozza segreta sulla serigrafia", lead_organisation=cast.toscana
            ),
        )
    assert catalogue.search.matching_ids("serigrafia") == []
    assert practice.title_it not in _titles(client, q="serigrafia")


def test_archiving_removes_it_from_the_index(cast, searchable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.archive_practice(cast.secretariat, searchable)
    assert catalogue.search.matching_ids("serigrafia") == []


def test_the_global_search_finds_practices_too(client, searchable):
    results = registry_search.search("serigrafia")
    assert [group.kind.key for group in results.groups] == ["practice"]
    page = client.get(reverse("portal:search"), {"q": "serigrafia"}).content.decode()
    assert reverse("knowledge:practice_detail", args=[searchable.pk]) in page


def test_a_rebuild_of_the_index_keeps_published_practices(searchable):
    registry_search.rebuild_index()
    assert catalogue.search.matching_ids("serigrafia") == [searchable.pk]


def test_facets_count_and_filter(client, cast, searchable):
    result = catalogue.browse({"q": "serigrafia"})
    theme_facet = next(f for f in result.facets if f.spec.param == "theme")
    assert [(o.value, o.count) for o in theme_facet.options] == [("inclusione", 1)]
    assert catalogue.browse({"theme": "inclusione"}).count == 1
    other = rf.ThemeFactory(code="altro")
    assert catalogue.browse({"theme": other.code}).count == 0
    unknown = catalogue.browse({"theme": "inesistente"})
    assert unknown.refused == ["theme"]


def _published(title_it: str, title_en: str = "", **kwargs):
    from django.utils import timezone

    now = timezone.now()
    return PracticeFactory(
        title_it=title_it,
        title_en=title_en,
        state="published",
        submitted_at=now,
        validated_at=now,
        published_at=now,
        **kwargs,
    )


def test_similar_practices_are_the_ones_whose_titles_say_the_same_things(cast, searchable):
    # searchable: "Inserimento lavorativo in cooperativa"
    closest = _published("Inserimento lavorativo in cooperativa sociale per detenuti")
    close = _published("Cooperativa di tipo B", "Work integration (inserimento) abroad")
    english = _published("Percorsi per detenuti", "Job placement in a cooperativa")
    unrelated = _published("Agricoltura sociale nelle aree interne")
    draft = PracticeFactory(title_it="Inserimento lavorativo in cooperativa, bozza")
    registry_search.rebuild_index()
    similar = catalogue.similar_practices(searchable)
    assert similar[0] == closest  # shares every word of the title
    assert set(similar) == {closest, close, english}
    assert unrelated not in similar and draft not in similar and searchable not in similar
    assert searchable in catalogue.similar_practices(closest)


def test_similar_practices_follow_a_new_title_and_drop_one_archived_at_once(cast, searchable):
    cooperative = _published("Cooperativa sociale per detenuti")
    farming = _published("Agricoltura sociale nelle aree interne")
    registry_search.rebuild_index()
    assert catalogue.similar_practices(searchable) == [cooperative]  # ranking now kept

    GoodPractice.objects.filter(pk=cooperative.pk).update(state=GoodPractice.State.ARCHIVED)
    assert catalogue.similar_practices(searchable) == []
    searchable.title_it = "Agricoltura nelle aree interne"
    assert catalogue.similar_practices(searchable) == [farming]


def test_similar_practices_ignore_function_words_and_a_practice_alone_has_none(cast, searchable):
    _published("Per la rete con le alle dalla demo")
    registry_search.rebuild_index()
    assert catalogue.similar_practices(searchable) == []


def test_a_query_with_facets_counts_and_filters_among_the_matches(cast, searchable):
    other_theme = rf.ThemeFactory(code="lavoro", name_it="Lavoro")
    other = _published("Serigrafia in carcere", network=cast.network)
    other.themes.add(other_theme)
    registry_search.rebuild_index()
    everything = catalogue.browse({"q": "serigrafia"})
    assert everything.count == 2
    themes = next(f for f in everything.facets if f.spec.param == "theme")
    assert sorted((o.value, o.count) for o in themes.options) == [("inclusione", 1), ("lavoro", 1)]
    only = catalogue.browse({"q": "serigrafia", "theme": "lavoro"})
    assert [p.pk for p in only.practices] == [other.pk]
    network = next(f for f in only.facets if f.spec.param == "network")
    assert [(o.value, o.count) for o in network.options] == [(cast.network.slug, 1)]
    selected = next(f for f in only.facets if f.spec.param == "theme")
    assert [(o.value, o.selected) for o in selected.options] == [("lavoro", True)]
