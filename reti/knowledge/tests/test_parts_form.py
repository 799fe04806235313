"""The portal form of a practice's results, contacts and links (formsets)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from reti.knowledge.models import PracticeContact, PracticeLink, PracticeResult

pytestmark = pytest.mark.django_db


def _url(practice):
    return reverse("knowledge:practice_parts", args=[practice.pk])


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def _empty(**rows) -> dict:
    data = {}
    for prefix in ("figures", "contacts", "links"):
        data |= _management(prefix, rows.get(prefix, 0))
    return data


def _new_parts() -> dict:
    data = _empty(figures=1, contacts=1, links=1)
    data |= {
        "figures-0-label_it": "Persone detenute assunte",
        "figures-0-label_en": "Prisoners hired",
        "figures-0-value": "42",
        "figures-0-unit": "persone",
        "figures-0-evidence": "Rapporto di valutazione 2023",
        "contacts-0-name": "Maria Rossi",
        "contacts-0-role": "Responsabile del progetto",
        "contacts-0-email": "maria.rossi@example.org",
        "contacts-0-consent": "on",
        "links-0-url": "https://example.org/rapporto",
        "links-0-label_it": "Rapporto finale",
        "links-0-label_en": "Final report",
    }
    return data


def test_the_author_adds_results_contacts_and_links_and_they_show_on_the_page(client, cast, draft):
    client.force_login(cast.toscana_officer)
    page = client.get(_url(draft)).content.decode()
    assert 'for="id_figures-0-value"' in page and 'for="id_contacts-0-consent"' in page
    response = client.post(_url(draft), _new_parts())
    assert response.status_code == 302
    figure = PracticeResult.objects.get(practice=draft)
    assert (figure.label_it, figure.value, figure.unit) == (
        "Persone detenute assunte",
        42,
        "persone",
    )
    assert figure.evidence == "Rapporto di valutazione 2023"
    contact = PracticeContact.objects.get(practice=draft)
    assert contact.consent and contact.consent_recorded_at is not None
    assert PracticeLink.objects.get(practice=draft).url == "https://example.org/rapporto"
    detail = client.get(reverse("knowledge:practice_detail", args=[draft.pk])).content.decode()
    assert "Persone detenute assunte" in detail and "Rapporto di valutazione 2023" in detail
    assert "maria.rossi@example.org" in detail and "https://example.org/rapporto" in detail
    # audit trail: who added them and why
    history = figure.history.get()
    assert history.history_user == cast.toscana_officer
    assert history.history_change_reason == "Risultati, contatti e collegamenti modificati"


def test_the_author_edits_and_deletes_rows_and_the_history_keeps_them(client, cast, draft):
    client.force_login(cast.toscana_officer)
    client.post(_url(draft), _new_parts())
    figure = PracticeResult.objects.get(practice=draft)
    link = PracticeLink.objects.get(practice=draft)
    contact = PracticeContact.objects.get(practice=draft)
    data = _empty(figures=1, contacts=1, links=1)
    for prefix in ("figures", "contacts", "links"):
        data[f"{prefix}-INITIAL_FORMS"] = "1"
    data |= {
        "figures-0-id": figure.pk,
        "figures-0-label_it": "Persone detenute assunte",
        "figures-0-value": "45",
        "contacts-0-id": contact.pk,
        "contacts-0-name": "Maria Rossi",
        "contacts-0-consent": "on",
        "contacts-0-DELETE": "on",
        "links-0-id": link.pk,
        "links-0-url": "https://example.org/rapporto",
        "links-0-label_it": "Rapporto finale",
        "links-0-DELETE": "on",
    }
    assert client.post(_url(draft), data).status_code == 302
    figure.refresh_from_db()
    assert figure.value == 45
    assert not PracticeLink.objects.filter(practice=draft).exists()
    assert not PracticeContact.objects.filter(practice=draft).exists()
    assert [h.history_type for h in PracticeLink.history.filter(id=link.pk)] == ["-", "+"]
    assert figure.history.count() == 2


def test_errors_name_the_row_and_field_and_nothing_is_saved(client, cast, draft):
    client.force_login(cast.toscana_officer)
    data = _new_parts() | _management("figures", 2)
    data |= {"figures-1-label_it": "Senza valore", "figures-1-value": "tanti"}
    data |= {"links-0-url": "ftp://example.org/x"}
    data.pop("contacts-0-consent")
    response = client.post(_url(draft), data)
    assert response.status_code == 400
    page = response.content.decode()
    errors = re.search(r'id="parts-errors".*?</div>', page, re.S).group(0)
    assert "Risultato 2 — Valore: Inserisci un numero." in errors
    assert "Contatto 1 — La persona ha acconsentito" in errors
    assert "richiede il consenso alla pubblicazione" in errors
    assert "Collegamento 1 — Indirizzo (http:// o https://): Il collegamento deve" in errors
    assert 'id="id_figures-1-value_error"' in page
    assert not PracticeResult.objects.filter(practice=draft).exists()
    assert not PracticeContact.objects.filter(practice=draft).exists()
    assert not PracticeLink.objects.filter(practice=draft).exists()


def test_the_form_speaks_english(client, cast, draft):
    client.force_login(cast.toscana_officer)
    with translation.override("en"):
        url = _url(draft)
    data = _new_parts() | {"figures-0-value": "many"}
    page = client.post(url, data).content.decode()
    assert "Results, contacts and links" in page
    assert "Result 1 — Value: Enter a number." in page


def test_anonymous_is_sent_to_sign_in(client, draft):
    response = client.get(_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(_url(draft), _new_parts())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not PracticeResult.objects.exists()


def test_other_users_cannot_edit_the_parts(client, cast, draft):
    client.force_login(cast.secretariat)  # sees the draft of its network, does not edit it
    assert client.get(_url(draft)).status_code == 403
    assert client.post(_url(draft), _new_parts()).status_code == 403
    client.force_login(cast.lazio_officer)  # does not even see the draft
    assert client.post(_url(draft), _new_parts()).status_code == 404
    assert not PracticeResult.objects.exists()


def test_a_submitted_practice_is_no_longer_edited_by_its_author(client, cast, submitted):
    client.force_login(cast.toscana_officer)
    assert client.post(_url(submitted), _new_parts()).status_code == 403
    assert not PracticeResult.objects.exists()
