"""404 and 500 pages in the visitor's language and the portal's look; the 500 reads no database."""

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("language", "title"), [("it", "Pagina non trovata"), ("en", "Page not found")]
)
def test_unknown_url_gives_the_404_page_in_the_language_of_the_url(client, language, title):
    response = client.get(f"/{language}/non-esiste-questa-pagina/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f"<h1>{title}</h1>" in page
    assert "it-header-wrapper" in page and 'id="footer"' in page
    assert url("portal:home", language) in page


@pytest.mark.parametrize(
    ("language", "title"), [("it", "Pagina non trovata"), ("en", "Page not found")]
)
def test_unknown_record_id_gives_the_404_page(client, language, title):
    response = client.get(url("portal:record_history", language, kind="reti", pk=999_999))
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.content.decode()


@pytest.mark.urls("reti.portal.tests.urls_errors")
@pytest.mark.parametrize(
    ("language", "title"),
    [("it", "Qualcosa non ha funzionato"), ("en", "Something went wrong")],
)
def test_500_page_renders_without_the_database(client, language, title, django_assert_num_queries):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get(url("database_down", language))
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f"<h1>{title}</h1>" in page
    assert static("vendor/bootstrap-italia/css/bootstrap-italia.min.css") in page
    assert "it-header-wrapper" in page
