"""The second factor in a real browser: an editor signs in with the password, is led to enrol,
scans (here: reads) the key, confirms with a code and reaches the back office; every page
meets WCAG 2.1 AA and raises no CSP violation (the QR code is an inline SVG, no script)."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("second_factor_enforced")]


def test_an_editor_enrols_after_the_password_and_reaches_the_back_office(page, cast, settings):
    # django-otp's one-second delay after a wrong code is shorter than a person's typing, not
    # than a robot's: off here, as in test_second_factor.py.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page.goto(reverse("accounts:login") + "?next=" + reverse("admin:index"))
    page.get_by_label("Nome utente").fill(cast.toscana_officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:second_factor_enrol"))))
    expect(page.locator("#second-factor-required")).to_be_visible()
    expect(page.locator("#second-factor-qr svg")).to_be_visible()
    assert_accessible(page)

    key = page.locator("#second-factor-key").inner_text().replace(" ", "")
    secret = b32decode(key + "=" * (-len(key) % 8))
    page.get_by_label("Codice").fill("000000")
    page.get_by_role("button", name="Conferma e attiva").click()
    expect(page.locator("#id_code_error")).to_contain_text("non è corretto")
    page.get_by_label("Codice").fill(f"{totp(secret):06d}")
    page.get_by_role("button", name="Conferma e attiva").click()

    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Li ho conservati, continua").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))

    for name in ("accounts:security", "accounts:my_data"):
        page.goto(reverse(name))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
