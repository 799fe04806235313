"""SPID in a real browser: the button's menu, accessible, and the provider's cross-site answer.

The test identity provider answers inside the browser (Playwright intercepts its address and
serves the page a provider would: a form posting the signed response to Reti), so the answer
is a real cross-site POST, with the cookies a browser really sends with it.
"""

import html
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import (  # noqa: F401
    assert_accessible,
    browser,
    page,
    pytest_runtest_makereport,
)

pytestmark = pytest.mark.browser


def test_sign_in_with_spid_through_the_menu(page, live_server, saml_setup, settings):  # noqa: F811
    settings.RETI_SITE_URL = live_server.url
    sp = {**saml_setup.sp, "acs": f"{live_server.url}/saml/acs/"}
    idp = saml_setup.spid

    def provider(route):
        request = idp.read(route.request.url)
        answer = idp.answer(request, sp)
        route.fulfill(
            status=200,
            content_type="text/html",
            body=(
                f'<!doctype html><html lang="it"><title>IdP</title><form method="post" '
                f'action="{sp["acs"]}"><input type="hidden" name="SAMLResponse" '
                f'value="{html.escape(answer)}"><input type="hidden" name="RelayState" '
                f'value="{html.escape(request.relay_state)}"><button id="go">Continua</button>'
                "</form></html>"
            ),
        )

    page.route(re.compile(r"^https://spid-idp\.test/.*"), provider)
    page.goto(reverse("accounts:login"))
    page.locator("#spid-button").click()
    menu = page.locator("#spid-idp-list")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="alfa (prova)")).to_be_visible()
    # The menu fades in: contrast is measured once no animation is running on the page.
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running')"
        " && getComputedStyle(document.querySelector('#spid-idp-list')"
        ".closest('.dropdown-menu')).opacity === '1'"
    )
    assert_accessible(page)

    menu.get_by_role("link", name="alfa (prova)").click()
    page.locator("#go").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:account")) + "$"))
    expect(page.locator("#linked-identities")).to_contain_text("TINIT-RSSMRA80A01H501U")
    assert_accessible(page)
