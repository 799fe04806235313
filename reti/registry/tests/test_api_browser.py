"""The API docs page (Swagger UI) in a real browser, under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401

pytestmark = pytest.mark.browser


def test_docs_page_renders_the_operations_without_console_errors(page):  # noqa: F811
    """Swagger UI loads from local files and draws every resource; a CSP violation would fail."""
    page.goto("/api/v1/docs")

    expect(page.get_by_role("heading", name="Reti API")).to_be_visible()
    for path in ["/api/v1/networks", "/api/v1/projects/{project_id}", "/api/v1/territories"]:
        expect(page.get_by_text(path, exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
