"""Every page type of the public site in a real Chromium, on the demo data, in it and en.

One broad test rather than one per page (browser tests are slow): for each page it checks that
the Content-Security-Policy (no inline styles) refused nothing, that a 390 px phone never
scrolls sideways nor hides a scrolling table from the keyboard, and that axe-core finds no
WCAG 2.1 A/AA violation on the desktop layout. A second test tabs to the header's controls
and checks that focus shows.
"""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reti.browser_testing import assert_accessible
from reti.monitoring.analytics.snapshot import _current
from reti.portal.management.commands.prepare_local import STEPS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PHONE_RULES = ["scrollable-region-focusable", "color-contrast", "target-size", "label"]
LISTEN_FOR_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
# A list page and, where it has one, the pattern of the record pages it links to: the test
# follows the first such link, so each record type is seen with real demo content.
PAGES = [
    ("portal:home", None),
    ("portal:network_list", r"/(reti|networks)/[\w-]+/$"),
    ("portal:project_list", r"/(progetti|projects)/\d+/$"),
    ("portal:organisation_list", r"/(organizzazioni|organisations)/\d+/$"),
    ("portal:territory_map", r"/(territori|territories)/\d+/$"),
    ("portal:timeline", None),
    ("portal:graph", None),
    ("knowledge:practice_list", r"/(buone-pratiche|good-practices)/\d+/$"),
    ("knowledge:outcomes", None),
    ("events:list", r"/(eventi|events)/\d+/$"),
    ("events:calendar", None),
    ("communities:list", r"/(comunita|communities)/[\w-]+/$"),
    ("monitoring:home", None),
    ("monitoring:indicators", None),
    ("monitoring:comparison", None),
    ("monitoring:homogeneity", None),
    ("monitoring:column_specification", None),
    ("grids:grid_list", r"/(griglie|grids)/[\w-]+/\d+/$"),
    ("accounts:login", None),
]


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    """The site as `make run` prepares it: territories, the presentation, the small demo."""
    settings.MONITORING_SNAPSHOT_DIR = tmp_path / "snapshot"
    _current.clear()
    for command, _what, arguments in STEPS:
        if command != "migrate":
            call_command(command, verbosity=0, stdout=io.StringIO(), **arguments)
    cache.clear()
    yield
    _current.clear()


def _check(page, url: str, layout: dict) -> None:
    page.set_viewport_size(layout)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert not violations, f"{url}: the CSP refused {violations}"
    if layout is PHONE:
        width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{url} scrolls sideways at 390 px: {width}"
        # What the narrow layout adds: tables that scroll, small targets, reflowed text.
        assert_accessible(page, PHONE_RULES)
    else:
        assert_accessible(page)


def _record_link(page, pattern: str) -> str | None:
    hrefs = page.eval_on_selector_all(
        "main a[href]",
        "links => links.map(a => new URL(a.getAttribute('href'), location.href).pathname)",
    )
    return next((href for href in hrefs if re.search(pattern, href)), None)


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_page_type_passes_csp_layout_and_axe(page, demo_site, language):
    page.add_init_script(LISTEN_FOR_CSP)
    seen = []
    with translation.override(language):
        urls = [(reverse(name), pattern) for name, pattern in PAGES]
        urls.append((reverse("portal:search") + "?q=rete", None))
    for url, pattern in urls:
        _check(page, url, PHONE)
        seen.append(url)
        if pattern:
            record = _record_link(page, pattern)
            assert record, f"{url} links to no record matching {pattern}"
            _check(page, record, PHONE)
            seen.append(record)
    for url in seen:
        _check(page, url, DESKTOP)


def _focus_ring(page) -> dict:
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return {text: document.activeElement.textContent.trim(), outline: style.outlineStyle,
                  width: parseFloat(style.outlineWidth), colour: style.outlineColor,
                  shadow: style.boxShadow};
        }"""
    )


def test_keyboard_focus_shows_on_the_language_switch_and_log_in(page):
    """WCAG 2.4.7: tabbing to IT, EN and "Accedi" draws a visible ring around each."""
    page.goto(reverse("portal:home"))
    reached = {}
    for _ in range(8):
        page.keyboard.press("Tab")
        ring = _focus_ring(page)
        for name in ("IT", "EN", "Accedi"):
            if ring["text"].startswith(name):
                reached[name] = ring
    assert set(reached) == {"IT", "EN", "Accedi"}, reached
    for name, ring in reached.items():
        # A solid white outline 3 px wide, edged in near-black, set off from the control.
        assert ring["outline"] == "solid" and ring["width"] >= 3, (name, ring)
        assert ring["colour"] == "rgb(255, 255, 255)", (name, ring)
        assert ring["shadow"] != "none", (name, ring)
