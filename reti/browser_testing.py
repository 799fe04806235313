"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Use the `page` fixture and mark the test `@pytest.mark.browser`. A test fails when the page
logs any console error (a CSP violation, a missing file, a script error), and a failed test
leaves a screenshot in test-artifacts/. Import the fixtures and the report hook into the
conftest.py of the tests that use them (see reti/portal/tests/conftest.py).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("RETI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# axe-core, vendored from npm by scripts/vendor-assets: the accessibility rules we hold pages to.
AXE = Path(__file__).parent / "portal" / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class _SharedChromium:
    """One Playwright and one Chromium per process, however many modules import `browser`.

    Two sync Playwright instances cannot run in one thread, and a session fixture imported
    into two test modules is set up twice: the second setup borrows the running browser.
    """

    users = 0
    playwright = None
    chromium = None

    @classmethod
    def acquire(cls):
        if cls.users == 0:
            # Playwright's sync API runs an event loop in this thread; the ORM must not refuse.
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            from playwright.sync_api import sync_playwright

            if not Path(CHROMIUM).exists():
                pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/install-chromium")
            cls.playwright = sync_playwright().start()
            cls.chromium = cls.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        cls.users += 1
        return cls.chromium

    @classmethod
    def release(cls):
        cls.users -= 1
        if cls.users == 0:
            cls.chromium.close()
            cls.playwright.stop()
            cls.chromium = cls.playwright = None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    chromium = _SharedChromium.acquire()
    yield chromium
    _SharedChromium.release()


@pytest.fixture
def page(browser, live_server, settings, request):
    """A fresh browser page on the live server; console errors fail the test."""
    yield from _page(browser, live_server, settings, request, "it-IT")


@pytest.fixture
def english_page(browser, live_server, settings, request):
    """As `page`, from a browser whose language is English (Accept-Language: en-GB)."""
    yield from _page(browser, live_server, settings, request, "en-GB")


def _page(browser, live_server, settings, request, locale: str):
    # The live server serves static files from the apps' folders, by their plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    errors = []
    browser_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    yield browser_page
    report = getattr(request.node, "report_call", None)
    if errors or (report is not None and report.failed):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        browser_page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()
    if errors:
        pytest.fail("console errors in the browser:\n" + "\n".join(errors))


def assert_accessible(browser_page, rules: list[str] | None = None) -> None:
    """Fail when axe-core finds WCAG 2.1 A or AA violations on the page as it is now.

    `rules` narrows the run to those axe rule ids (e.g. a second pass at another width).
    """
    # Evaluated through the DevTools protocol, so the page's CSP does not block it.
    browser_page.evaluate(AXE.read_text())
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_AA}
    result = browser_page.evaluate("only => axe.run(document, {runOnly: only})", run_only)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]
    assert not problems, f"{browser_page.url}:\n" + "\n".join(problems)
