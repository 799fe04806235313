"""Sign-up in a real browser: create an account, confirm it from the e-mail, ask to join."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from reti.accounts.models import JoinRequest
from reti.browser_testing import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "cavallo-batteria-graffetta"


def test_a_visitor_signs_up_confirms_and_asks_to_join_an_organisation(page, cast):
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Non hai un account? Registrati").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crea un account")
    page.get_by_label("Indirizzo e-mail").fill("nuova.persona@example.org")
    page.get_by_label("Nome", exact=False).first.fill("Nuova")
    page.get_by_label("Cognome").fill("Persona")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    # Bootstrap Italia draws the box on the label: people click the label, so does the test.
    page.locator("label[for=id_privacy]").click(position={"x": 4, "y": 8})
    expect(page.locator("#id_privacy")).to_be_checked()
    expect(page.locator("#id_website")).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("button", name="Crea l’account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlla la posta")
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"https?://\S+?(/it/area-personale/registrati/conferma/\S+/)", message.body)
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Attiva l’account")
    assert_accessible(page)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Attiva l’account").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:account")) + "$"))
    expect(page.locator("#messages")).to_contain_text("il tuo account è attivo")
    expect(page.locator("#account-link")).to_contain_text("Nuova Persona")

    page.locator("#ask-to-join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chiedi di aderire a un’organizzazione"
    )
    page.locator("#id_organisation").select_option(str(cast.toscana.pk))
    page.locator("#id_role").select_option("editor")
    page.locator("#id_message").fill("Lavoro all’ufficio FSE della Regione.")
    assert_accessible(page)
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.locator("#join-requests")).to_contain_text("Regione Toscana (prova)")
    expect(page.locator("#join-requests")).to_contain_text("In attesa")
    assert_accessible(page)
    assert JoinRequest.objects.get().user.email == "nuova.persona@example.org"
