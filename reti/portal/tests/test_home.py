"""The home page: what Reti is, in Italian and English, with the registry's figures."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def home_url(language: str) -> str:
    with translation.override(language):
        return reverse("portal:home")


def test_italian_home_says_what_reti_is_with_counts(client):
    f.NetworkFactory.create_batch(2)
    f.ProjectFactory.create_batch(3)
    f.OrganisationFactory.create_batch(4)
    response = client.get(home_url("it"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="it">' in page
    assert "Reti è il sistema informativo delle reti e dei progetti" in page
    assert re.search(r'data-count="networks">2<', page)
    assert re.search(r'data-count="projects">3<', page)
    assert re.search(r'data-count="organisations">4<', page)


def test_english_home_is_translated(client):
    response = client.get(home_url("en"))
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Reti is the information system of the networks and projects" in page
    assert "The registry in figures" in page


def test_latest_networks_and_projects_in_few_queries(client, django_assert_max_num_queries):
    f.NetworkFactory(name_it="Rete più recente di prova")
    f.ProjectFactory.create_batch(6)
    newest = f.ProjectFactory(title_it="Progetto più recente di prova")
    # Origins, the sources' networks and projects, the demo's networks and projects: one each.
    with django_assert_max_num_queries(8):
        page = client.get(home_url("it")).content.decode()
    assert "Rete più recente di prova" in page
    assert "Progetto più recente di prova" in page
    assert reverse("portal:record_history", kwargs={"kind": "progetti", "pk": newest.pk}) in page


def test_links_to_api_docs_and_back_office(client):
    page = client.get(home_url("it")).content.decode()
    assert reverse("api:openapi-view") in page
    assert reverse("admin:index") in page


def test_no_inline_scripts_or_handlers_under_the_csp(client):
    response = client.get(home_url("it"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag, tag
    assert not re.search(r"<script\b[^>]*>(?!</script>)", page), "inline script body"
    assert not re.search(r"\son[a-z]+\s*=", page), "inline event handler"


def test_page_has_landmarks_and_skip_link(client):
    page = client.get(home_url("it")).content.decode()
    assert 'href="#main-container"' in page
    assert '<main id="main-container"' in page
    assert "<header" in page and "<footer" in page and "<nav" in page


def test_language_switch_keeps_the_page(client):
    url = reverse("portal:record_history", kwargs={"kind": "reti", "pk": 1})
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response.url == url.replace("/it/", "/en/", 1)


def test_home_refuses_post(client):
    assert client.post(home_url("it")).status_code == 405
