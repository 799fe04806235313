"""The evaluator's journey in a real browser, from the keyboard: declare, score, autosave."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.grids.models import Assessment

pytestmark = pytest.mark.browser
PASSWORD = "test-password-1"  # the factories' password


def _log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_an_evaluator_scores_from_the_keyboard(page, grids):
    grids.evaluator_a.grid_declarations.all().delete()
    _log_in(page, "valutatore_a")
    page.goto(reverse("grids:my_assignments"))
    assert_accessible(page)
    page.get_by_role("link", name="Dichiara e valuta").click()
    assert_accessible(page)
    page.get_by_label("non sussistono situazioni di conflitto di interessi").focus()
    page.keyboard.press("Space")
    page.locator("#declare").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#scoring-form")).to_be_visible()
    assert_accessible(page)

    # The first level of criterion A1, chosen with the arrow keys, then saved with Enter.
    first = page.locator("#criterion-A1 input[type=radio]").first
    first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Bozza salvata")
    assessment = Assessment.objects.get(evaluator=grids.evaluator_a)
    assert assessment.answers["A1"]["value"] == "adequate"

    # Typing a justification is saved by itself a moment later.
    page.locator("#id_j-A1").fill("Obiettivi chiari ma indicatori generici.")
    expect(page.locator("#autosave-status")).to_have_text("Bozza salvata automaticamente")
    assessment.refresh_from_db()
    assert assessment.answers["A1"]["justification"].startswith("Obiettivi chiari")
