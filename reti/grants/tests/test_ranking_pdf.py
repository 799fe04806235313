"""The ranking as a PDF (PDF/UA, tagged, in the page's language): what d.lgs. 33/2013
art. 26-27 asks a grant's publication to carry — beneficiary and its fiscal data, amount,
title of the attribution, responsible office, method of selection — and no natural person's
data; downloadable from the public page and the officer's run page; unpublished runs stay
the officers'."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reti.grants import actions
from reti.grants.models import RankingRun

from .conftest import CUP_A
from .evaluation import final_ranking

pytestmark = pytest.mark.django_db


def _url(name, *args, language="it"):
    with translation.override(language):
        return reverse(name, args=args)


def _text(data: bytes) -> str:
    """The text of every page, each run of white space one space (table cells wrap)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("-\n", "-").split())


def test_the_published_final_ranking_as_a_pdf_from_the_public_page(client, world, grants):
    people = (grants.applicant_a, grants.applicant_b, grants.officer)
    for n, user in enumerate(people):
        user.first_name, user.last_name = "Persona", f"Fisica{n}"
        user.save()
    final = final_ranking(grants)
    page = client.get(_url("grants:ranking_public", grants.call.code))
    pdf_url = _url("grants:run_pdf", final.pk)
    assert f'href="{pdf_url}"' in page.text

    response = client.get(pdf_url)  # anonymous
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"graduatoria-{grants.call.code}-{final.number}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "it"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, for screen readers
    text = _text(response.content)
    assert "Graduatoria definitiva" in text
    # Art. 27: title of the attribution, office responsible, method of selection.
    assert "Norma o titolo a base dell'attribuzione" in text
    assert grants.call.code in text and "Convenzione n. 1/2026 (prova)" in text
    assert "Ufficio responsabile del procedimento" in text
    assert "Organismo intermedio (prova)" in text
    assert "Modalità di individuazione dei beneficiari" in text
    # The funded: C first (100), then A (75, sent before B), A and B's entities' fiscal codes.
    funded = text.split("Domande finanziate")[1].split("Graduatoria completa")[0]
    assert "Fondazione C (prova)" in funded and world["C"].organisation.tax_code in funded
    assert world["C"].receipt.protocol_number in funded
    assert "8.000,00" in funded
    assert "Circolo D (prova)" not in funded
    whole = text.split("Graduatoria completa")[1]
    assert "Circolo D (prova)" in whole and "Non ammissibile" in whole
    # No natural person: the applicants' representatives and the evaluators are not named.
    for user in people:
        for name in (user.get_full_name(), user.get_username()):
            assert not name or name not in text


def test_in_english_and_with_the_cup_and_act_once_recorded(client, world, grants):
    final = final_ranking(grants)
    entry = final.entries.get(application=world["C"])
    actions.decide_funding(
        grants.officer,
        world["C"],
        decree_number="Determina 12/2026",
        decree_date=datetime.date(2026, 6, 1),
        decree_signer="Dirigente di prova",
        cup=CUP_A,
        state_aid_code="COR-1234567",
    )
    assert entry.is_funded
    response = client.get(_url("grants:run_pdf", final.pk, language="en"))
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = _text(response.content)
    assert "Funded applications" in text
    assert CUP_A in text and "Determina 12/2026" in text


def test_an_unpublished_run_is_a_working_copy_for_the_officers_only(client, world, grants, cast):
    run = actions.run_ranking(grants.officer, grants.call, RankingRun.Kind.PROVISIONAL)
    url = _url("grants:run_pdf", run.pk)
    for user in (None, grants.applicant_a, cast.toscana_officer, cast.outsider):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(grants.officer)
    page = client.get(_url("grants:run_detail", run.pk))
    assert f'href="{url}"' in page.text
    response = client.get(url)
    assert response.status_code == 200
    assert "copia di lavoro" in _text(response.content)
    assert client.post(url).status_code == 405
