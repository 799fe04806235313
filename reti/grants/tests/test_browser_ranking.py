"""The ranking pages in Chromium: the officer publishes a run from the keyboard, the public
page shows the funded list; both pages pass the accessibility checks, with no console error."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.grants import actions
from reti.grants.models import RankingRun

from .test_browser import _sign_in

pytestmark = pytest.mark.browser


def test_the_officer_publishes_and_the_public_reads_the_funded_list(
    page, live_server, world, grants
):
    run = actions.run_ranking(grants.officer, grants.call, RankingRun.Kind.PROVISIONAL)
    _sign_in(page, grants.officer, live_server)
    page.goto(reverse("grants:call_ranking", args=[grants.call.code]))
    assert_accessible(page)
    page.goto(reverse("grants:run_detail", args=[run.pk]))
    assert_accessible(page)
    expect(page.locator("#run-replays")).to_contain_text("sì")
    page.locator("#publish").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#run-published")).to_be_visible()
    page.context.clear_cookies()
    page.goto(reverse("grants:ranking_public", args=[grants.call.code]))
    assert_accessible(page)
    expect(page.locator("#funded")).to_contain_text(world["C"].receipt.protocol_number)
    expect(page.locator("#funded")).to_contain_text("Fondazione C (prova)")
