"""The main menu: every section reachable, grouped in drop-downs that fit one line at desktop
width, usable by keyboard, and reachable without JavaScript through the footer."""

import re

import pytest
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.portal.nav import GROUPS, REGISTRY_NAV, menu


def header_and_footer(client, path):
    page = client.get(path).content.decode()
    header, _, rest = page.partition("</header>")
    return header, rest.partition("<footer")[2]


@pytest.mark.django_db
def test_every_section_is_in_the_menu_and_in_the_footer(client):
    header, footer = header_and_footer(client, "/it/")
    items, _active = menu("/it/", "it")
    urls = [e.url for item in items for e in getattr(item, "entries", [item])]
    assert len(urls) == len(set(urls)) >= len(REGISTRY_NAV) + 4
    for url in urls:
        assert f'href="{url}"' in header
        assert f'href="{url}"' in footer
    # The drop-downs' toggles lead to their sections in the footer (no JavaScript needed).
    for key, label in GROUPS.items():
        assert f'href="#sections-{key}"' in header
        assert f'id="sections-{key}"' in footer
        assert str(label) in footer


@pytest.mark.django_db
def test_the_current_section_and_its_group_are_marked(client):
    header, _ = header_and_footer(client, "/it/eventi/")
    assert re.search(r'class="nav-link dropdown-toggle active"[^>]*id="nav-group-exchange"', header)
    assert re.search(
        r'class="dropdown-item list-item active" href="/it/eventi/" aria-current="page"', header
    )
    assert header.count('aria-current="page"') == 1
    # On a page inside a section (not its own list) the entry is active, not current.
    _items, active = menu("/it/eventi/123/", "it")
    assert active == "events:list"
    header, _ = header_and_footer(client, "/it/reti/")
    assert 'class="nav-link active" href="/it/reti/" aria-current="page"' in header
    assert "nav-link dropdown-toggle active" not in header


@pytest.mark.django_db
def test_menu_in_english(client):
    header, footer = header_and_footer(client, "/en/")
    assert "Knowledge exchange" in header and "Explore" in header
    assert "Sections" in footer
    assert 'href="/en/reti/"' in header


@pytest.mark.browser
def test_menu_fits_one_line_and_opens_by_keyboard(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/it/")
    # Widths are those of the portal's font, which loads after the page.
    page.evaluate("document.fonts.ready.then(() => true)")
    bar = page.get_by_role("navigation", name="Navigazione principale")
    tops = bar.locator(".navbar-nav > .nav-item").evaluate_all(
        "items => items.map(i => [i.getBoundingClientRect().top, i.getBoundingClientRect().right])"
    )
    assert len({round(top) for top, _right in tops}) == 1, tops
    assert max(right for _top, right in tops) <= 1280

    toggle = bar.get_by_role("button", name="Scambio di conoscenze")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    events = bar.get_by_role("link", name="Eventi")
    expect(events).to_be_visible()
    # The drop-down fades in: contrast is checked once it is fully drawn.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished)).then(() => true)")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(events).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(events).to_be_hidden()

    toggle.click()
    events.click()
    expect(page).to_have_url(re.compile(r"/it/eventi/$"))
    expect(bar.get_by_role("button", name="Scambio di conoscenze")).to_have_class(
        re.compile("active")
    )


@pytest.mark.browser
def test_menu_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/it/")
    page.get_by_role("button", name="Mostra o nascondi la navigazione").click()
    bar = page.get_by_role("navigation", name="Navigazione principale")
    bar.get_by_role("button", name="Esplora").click()
    bar.get_by_role("link", name="Cronologia").click()
    expect(page).to_have_url(re.compile(r"/it/.*cronologia"))
