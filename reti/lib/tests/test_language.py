"""The IT/EN switch and the site's root: Italian first, the visitor's choice respected, the
browser's Accept-Language never sending a page elsewhere."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def url(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize("browser", ["en-GB,en;q=0.9", "it-IT,it;q=0.9", "de-DE"])
@pytest.mark.parametrize(
    "name, args", [("portal:home", ()), ("events:list", ()), ("portal:network_list", ())]
)
def test_the_switch_lands_on_the_same_page_in_the_other_language(client, browser, name, args):
    for page_language, other in (("it", "en"), ("en", "it")):
        page = url(name, page_language, *args) + "?q=rete"
        response = client.post(
            reverse("set_language"),
            {"language": other, "next": page},
            HTTP_ACCEPT_LANGUAGE=browser,
        )
        assert response.status_code == 302
        assert response.url == url(name, other, *args) + "?q=rete"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == other
        landed = client.get(response.url, HTTP_ACCEPT_LANGUAGE=browser)
        assert f'<html lang="{other}">' in landed.content.decode()


def test_the_switch_refuses_an_address_on_another_site(client):
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": "https://example.org/it/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302 and "example.org" not in response.url


def test_the_switch_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.parametrize("browser", ["en-US,en;q=0.9", "it", ""])
def test_the_root_goes_to_italian_whatever_the_browser_says(client, browser):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=browser)
    assert response.status_code == 302 and response.url == url("portal:home", "it")


def test_the_root_goes_to_english_when_the_visitor_chose_it_before(client):
    client.post(reverse("set_language"), {"language": "en", "next": url("portal:home", "it")})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.url == url("portal:home", "en")
    client.post(reverse("set_language"), {"language": "it", "next": url("portal:home", "en")})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").url == url("portal:home", "it")


def test_a_prefixed_page_speaks_its_prefix_whatever_the_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url("portal:home", "it"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="it">' in page
