"""The search page and GET /api/v1/search, on the presentation's facts; bad input never 500s."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reti.registry.search import rebuild_index
from reti.registry.tests.conftest import *  # noqa: F403


@pytest.fixture(scope="module")
def _module_index(_module_presentation, django_db_blocker):
    # Rolled back with the module's presentation data.
    with django_db_blocker.unblock():
        rebuild_index()


@pytest.fixture
def indexed(_module_index, presentation):
    return presentation


def url(name: str, language: str = "it") -> str:
    with translation.override(language):
        return reverse(name)


def page(client, language="it", **params) -> str:
    response = client.get(url("portal:search", language), params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_page_finds_the_network_first_with_counts_per_kind(
    client, indexed, django_assert_max_num_queries, commit_cache_bumps
):
    # As after the index was committed: a term's completions are read once, not once a kind.
    commit_cache_bumps()
    with django_assert_max_num_queries(14):
        html = page(client, q="ESFCoNet")
    assert re.findall(r'data-kind="(\w+)"', html) == ["network"]
    assert 'data-count="network">1<' in html
    assert "Rete ESFCoNet" in html
    assert 'href="/it/reti/esfconet/"' in html


def test_results_are_grouped_by_kind_in_a_fixed_order(client, indexed):
    html = page(client, q="inclusione sociale")
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert kinds == sorted(kinds, key=["network", "project", "working_group"].index)
    assert {"network", "project", "working_group"} <= set(kinds)
    for kind in kinds:
        assert re.search(rf'data-count="{kind}">\d+<', html)


def test_lower_case_and_missing_accents_still_match(client, indexed):
    assert "Rete ESFCoNet" in page(client, q="esfconet")
    assert "Inclusione sociale e nuove povertà" in page(client, q="poverta")
    assert "Inclusione sociale e nuove povertà" in page(client, q="inclusioni")


def test_english_page_shows_english_titles(client, indexed):
    html = page(client, "en", q="poverty")
    assert "Social inclusion and new poverty" in html
    assert '<html lang="en">' in html
    assert "Did you mean:" in page(client, "en", q="Tosacna")


def test_a_typo_suggests_the_right_word(client, indexed):
    html = page(client, q="Tosacna")
    assert "Nessun risultato per «Tosacna»" in html
    assert 'Forse cercavi: <a href="?q=Toscana">Toscana</a>' in html


def test_one_kind_with_a_link_back_to_all(client, indexed):
    html = page(client, q="san", kind="territory")
    assert 'data-kind="territory"' in html
    assert 'data-kind="network"' not in html
    assert 'rel="next"' in html
    html = page(client, q="san")
    assert "?q=san&amp;kind=territory" in html


def test_unknown_kind_and_parameters_are_shown_back(client, indexed):
    html = page(client, q="ESFCoNet", kind="bogus", colour="red")
    assert "Filtro non riconosciuto, non applicato: kind=bogus" in html
    assert "Filtro non riconosciuto, non applicato: colour=red" in html
    assert "Rete ESFCoNet" in html


def test_api_search_groups_results(client, indexed):
    response = client.get(url("api:search"), {"q": "ESFCoNet"})
    assert response.status_code == 200
    body = response.json()
    assert body["groups"][0]["kind"] == "network"
    assert body["groups"][0]["results"][0]["acronym"] == "ESFCoNet"
    assert body["groups"][0]["results"][0]["url"].startswith("http://testserver/")
    assert body["total"] == sum(group["count"] for group in body["groups"])


def test_api_search_one_kind_and_suggestions(client, indexed):
    body = client.get(url("api:search"), {"q": "povertà", "kind": "working_group"}).json()
    assert [g["kind"] for g in body["groups"]] == ["working_group"]
    assert client.get(url("api:search"), {"q": "Tosacna"}).json()["suggestion"] == "Toscana"
    bad = client.get(url("api:search"), {"q": "x", "kind": "bogus"})
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["field"] == "kind"


ODD = st.sampled_from(
    [
        '"',
        "AND OR NOT NEAR(a b, 2) * ^ - : ( )",
        "{names body}: x*",
        "'; DROP TABLE registry_project; --",
        "\x00",
        "🤝🏽" * 50,
        "x" * 10_000,
        "2007-2013",
        "active",
        "%",
        "\\",
    ]
)
VALUE = st.one_of(st.none(), ODD, st.text(max_size=60))


@pytest.mark.parametrize(
    "name", ["portal:search", "api:search", "api:project_list"], ids=lambda n: n
)
def test_odd_parameters_never_cause_a_server_error(client, indexed, name):
    target = url(name)

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(q=VALUE, period=VALUE, theme=VALUE, status=VALUE, kind=VALUE)
    def check(q, period, theme, status, kind):
        params = {"q": q, "period": period, "theme": theme, "status": status}
        if name != "api:project_list":
            params["kind"] = kind
        response = client.get(target, {k: v for k, v in params.items() if v is not None})
        assert response.status_code < 500, (params, response.content[:300])

    check()


@pytest.mark.parametrize("language", ["it", "en"])
def test_home_and_header_have_a_search_box(client, db, language):
    html = client.get(url("portal:home", language)).content.decode()
    assert html.count(f'action="{url("portal:search", language)}"') == 2
    assert 'id="header-search" name="q"' in html
    assert 'id="home-search" name="q"' in html


def test_every_hit_opens_a_page(client, indexed):
    # A kind whose page does not exist fails here instead of losing its link.
    from reti.registry.search import search
    from reti.registry.search.links import hit_url

    seen = set()
    for query in ("inclusione sociale", "Toscana", "ESFCoNet", "povertà"):
        for group in search(query).groups:
            for hit in group.hits:
                assert client.get(hit_url(hit)).status_code == 200, (hit.kind, hit_url(hit))
                seen.add(hit.kind)
    assert seen == {"network", "project", "organisation", "working_group", "territory"}
