"""Journeys in a real browser: register to a study visit; the waiting list moves up."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.events.tests.factories import EventFactory
from reti.registry.tests import factories as registry

pytestmark = pytest.mark.browser


# The live server's first request imports and warms everything: on a busy machine, seconds.
FIRST_LOAD_MS = 60_000


def _register(page, event, name, email):
    page.goto(f"/it/eventi/{event.pk}/", timeout=FIRST_LOAD_MS)
    page.get_by_label("Nome e cognome").fill(name)
    page.get_by_label("E-mail").fill(email)
    # Bootstrap Italia draws the checkbox on its label: click the label, as people do.
    page.locator("label[for=id_public_consent]").click()
    expect(page.get_by_label("Acconsento a comparire")).to_be_checked()
    page.get_by_role("button", name="Iscriviti").click()


def test_register_to_a_study_visit_and_receive_the_confirmation(page):
    host = registry.OrganisationFactory(name_it="Regione Toscana (demo)")
    visit = EventFactory(
        title_it="Visita alle cooperative sociali di Prato",
        host=host,
        capacity=10,
        agenda_it="09:30 Accoglienza\n10:00 Visita",
    )
    page.goto("/it/eventi/", timeout=FIRST_LOAD_MS)
    assert_accessible(page)
    page.get_by_role("link", name="Visita alle cooperative sociali di Prato").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(visit.title_it)
    expect(page.locator("#agenda")).to_contain_text("09:30 Accoglienza")
    assert_accessible(page)

    _register(page, visit, "Giulia Verdi", "giulia@example.org")

    expect(page.get_by_role("status").filter(has_text="Iscrizione confermata")).to_be_visible()
    expect(page.locator("#participants")).to_contain_text("Giulia Verdi")
    expect(page.locator("#seats")).to_contain_text("1 su 10")
    assert_accessible(page)
    (message,) = mail.outbox
    assert message.to == ["giulia@example.org"]
    assert message.subject == "Iscrizione confermata: Visita alle cooperative sociali di Prato"


def test_the_last_seat_then_the_waiting_list_then_promotion(page):
    visit = EventFactory(title_it="Seminario con esperti a Roma", capacity=1)
    _register(page, visit, "Primo Posto", "primo@example.org")
    expect(page.get_by_role("status").filter(has_text="Iscrizione confermata")).to_be_visible()

    _register(page, visit, "Seconda Attesa", "seconda@example.org")
    alert = page.get_by_role("alert").filter(has_text="lista d'attesa")
    expect(alert).to_contain_text("posizione 1")
    expect(page.locator("#seats")).to_contain_text("1 in lista d'attesa")
    assert_accessible(page)
    assert mail.outbox[-1].subject.startswith("In lista d'attesa")

    # The first registrant cancels through the link of their confirmation e-mail.
    link = re.search(r"http://\S+/annulla/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.split("8000", 1)[-1] if "127.0.0.1:8000" in link else link)
    assert_accessible(page)
    page.get_by_role("button", name="Annulla l'iscrizione").click()
    expect(page.get_by_role("status").filter(has_text="Iscrizione annullata")).to_be_visible()
    expect(page.locator("#seats")).to_contain_text("1 su 1 occupati")
    expect(page.locator("#seats")).not_to_contain_text("attesa")
    promoted = mail.outbox[-1]
    assert promoted.to == ["seconda@example.org"]
    assert promoted.subject == "Si è liberato un posto: Seminario con esperti a Roma"
