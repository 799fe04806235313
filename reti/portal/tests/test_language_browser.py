"""The IT/EN switch from a browser whose language is English: each page type lands on the same
page in the other language, and back; the site's root opens in Italian until English is chosen."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from reti.browser_testing import english_page  # noqa: F401
from reti.events.tests.factories import EventFactory
from reti.registry.tests import factories as f

pytestmark = pytest.mark.browser


def path(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_an_english_browser_switches_language_on_every_page_type(english_page):  # noqa: F811
    page = english_page
    network = f.NetworkFactory()
    project = f.ProjectFactory()
    event = EventFactory()
    pages = [
        ("portal:home", ()),
        ("portal:network_detail", (network.slug,)),
        ("portal:project_detail", (project.pk,)),
        ("portal:network_list", ()),
        ("events:detail", (event.pk,)),
        ("events:calendar", ()),
    ]

    # The root opens in Italian, whatever the browser says (the first request of a cold live
    # server on a busy machine can take seconds: a longer wait for it alone).
    page.goto("/", wait_until="domcontentloaded", timeout=60_000)
    expect(page).to_have_url(re.compile(r"/it/$"))
    expect(page.locator("html")).to_have_attribute("lang", "it")

    for name, args in pages:
        italian, english = path(name, "it", *args), path(name, "en", *args)
        page.goto(italian, wait_until="domcontentloaded")
        expect(page.locator("html")).to_have_attribute("lang", "it")
        page.get_by_role("button", name="EN English").click()
        expect(page).to_have_url(re.compile(re.escape(english) + "$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("button", name="IT Italiano").click()
        expect(page).to_have_url(re.compile(re.escape(italian) + "$"))
        expect(page.locator("html")).to_have_attribute("lang", "it")

    # Having chosen English once, the root opens in English.
    page.get_by_role("button", name="EN English").click()
    page.goto("/", wait_until="domcontentloaded")
    expect(page).to_have_url(re.compile(r"/en/$"))
