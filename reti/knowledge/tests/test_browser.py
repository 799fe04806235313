"""The practice journeys in a real browser: submit with a PDF, validate, find, transfer."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.knowledge.models import GoodPractice, Transfer
from reti.registry.search import rebuild_index

from .files import minimal_pdf

pytestmark = pytest.mark.browser
PASSWORD = "test-password-1"  # the factories' password


def _log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/it/admin/login/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_submit_validate_find_by_attachment_and_transfer(page, cast):
    rebuild_index()  # clears what earlier tests left in the search tables

    # An author of Toscana writes a draft and attaches a PDF.
    _log_in(page, "toscana")
    page.goto(reverse("knowledge:practice_create"))
    assert_accessible(page)
    page.get_by_label("titolo (italiano) *").fill("Orti sociali nelle carceri toscane")
    page.get_by_label("sintesi (italiano)").fill("Lavoro agricolo per persone detenute.")
    page.get_by_label("organizzazione capofila *").select_option(label=str(cast.toscana))
    page.get_by_label("rete di origine").select_option(label=cast.network.name_it)
    page.locator("#save-practice").click()
    expect(page.locator("#messages")).to_contain_text("Bozza salvata")
    page.get_by_label("File (PDF, DOCX, ODT, PNG o JPEG, al massimo 20 MB)").set_input_files(
        {
            "name": "relazione.pdf",
            "mimeType": "application/pdf",
            "buffer": minimal_pdf("Esiti della coltivazione idroponica in serra"),
        }
    )
    page.locator("#upload").click()
    expect(page.locator("#practice-attachments")).to_contain_text("Testo estratto")
    assert_accessible(page)
    page.locator("#submit-practice").click()
    expect(page.locator("#practice-state")).to_have_text("Inviata alla validazione")
    practice = GoodPractice.objects.get(title_it="Orti sociali nelle carceri toscane")

    # The network's secretariat finds it in the queue, validates and publishes it.
    _log_in(page, "trento")
    page.goto(reverse("knowledge:review_queue"))
    page.get_by_role("link", name="Orti sociali nelle carceri toscane").click()
    assert_accessible(page)
    page.get_by_label("Commento di validazione").fill("Documentata e trasferibile.")
    page.locator("#validate").click()
    expect(page.locator("#practice-state")).to_have_text("Validata")
    page.locator("#publish").click()
    expect(page.locator("#practice-state")).to_have_text("Pubblicata")

    # Anyone finds it by a word that only its attachment contains.
    page.context.clear_cookies()
    page.goto(reverse("knowledge:practice_list"))
    page.get_by_label("Cerca nelle pratiche e nei loro allegati").fill("idroponica")
    page.get_by_label("Cerca nelle pratiche e nei loro allegati").press("Enter")
    expect(page.locator("#practice-results")).to_contain_text("Orti sociali nelle carceri toscane")
    assert_accessible(page)

    # Lazio records that it adopted it; both organisations' pages show the transfer.
    _log_in(page, "lazio")
    page.goto(reverse("knowledge:practice_detail", args=[practice.pk]))
    page.get_by_role("link", name="Registra un trasferimento").click()
    page.get_by_label("Organizzazione che adotta (numero identificativo) *").fill(
        str(cast.lazio.pk)
    )
    page.get_by_label("fase *").select_option(label="Adottata")
    page.get_by_label("inizio").fill("2013-03-01")
    page.get_by_label("cosa è stato adattato (italiano)").fill("Serre negli istituti laziali.")
    assert_accessible(page)
    page.locator("#save-transfer").click()
    expect(page.locator("#practice-transfers")).to_contain_text("Serre negli istituti laziali.")
    assert Transfer.objects.get().adopting_organisation == cast.lazio
    for organisation in (cast.toscana, cast.lazio):
        page.goto(reverse("portal:organisation_detail", args=[organisation.pk]))
        expect(page.locator("#organisation-transfers")).to_contain_text(
            "Orti sociali nelle carceri toscane"
        )
    assert_accessible(page)
