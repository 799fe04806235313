"""A network's dossier as a PDF: Italian and English, its governance over time, members,
working groups, events and published practices, never a draft."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from reti.events.models import Event
from reti.knowledge.models import GoodPractice
from reti.registry.models import GoverningRole, WorkingGroup


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _url(network, language="it"):
    with translation.override(language):
        return reverse("portal:network_pdf", args=[network.slug])


@pytest.fixture
def network(cast):
    network = cast.network
    GoverningRole.objects.create(
        network=network,
        organisation=cast.toscana,
        role=GoverningRole.Role.PRESIDENCY,
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2021, 12, 31),
    )
    GoverningRole.objects.create(
        network=network, organisation=cast.lazio, role=GoverningRole.Role.MEMBER
    )
    WorkingGroup.objects.create(
        network=network,
        title_it="Gruppo sulle nuove povertà",
        title_en="Group on new poverty",
        programme_year=2024,
        coordinator=cast.lazio,
        priorities_it="Mappare i servizi",
    )
    Event.objects.create(
        network=network,
        kind=Event.Kind.EXPERT_SEMINAR,
        title_it="Seminario di primavera",
        title_en="Spring seminar",
        start=timezone.now() - dt.timedelta(days=30),
        end=timezone.now() - dt.timedelta(days=29),
        host=cast.toscana,
    )
    from reti.knowledge.tests.factories import PracticeFactory

    when = timezone.now()
    PracticeFactory(
        network=network, lead_organisation=cast.toscana, title_it="Pratica pubblicata",
        state=GoodPractice.State.PUBLISHED, published_at=when, submitted_at=when,
        validated_at=when,
    )  # fmt: skip
    PracticeFactory(
        network=network, lead_organisation=cast.lazio, title_it="Pratica in bozza",
        state=GoodPractice.State.DRAFT,
    )  # fmt: skip
    return network


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("it", ["Governo della rete nel tempo", "Presidenza", "Gruppo sulle nuove povertà",
                "Seminario di primavera", "Membri"]),
        ("en", ["Governance over time", "Presidency", "Group on new poverty", "Spring seminar",
                "Members"]),
    ],
)  # fmt: skip
def test_the_dossier_renders_in_each_language(client, network, language, words):
    response = client.get(_url(network, language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == language
    text = _text(response.content)
    assert "Regione Toscana (prova)" in text
    assert "Regione Lazio (prova)" in text
    for word in words:
        assert word in text, word
    assert "Pratica pubblicata" in text


def test_a_draft_practice_is_never_in_the_dossier(client, network, cast):
    client.force_login(cast.lazio_officer)  # the draft's author: still a public document
    assert "Pratica in bozza" not in _text(client.get(_url(network)).content)


def test_the_network_page_links_to_the_dossier(client, network):
    page = client.get(reverse("portal:network_detail", args=[network.slug])).content.decode()
    assert _url(network) in page
    assert "Scarica PDF" in page


def test_an_unknown_network_is_not_found_and_only_get_is_allowed(client, network):
    assert client.get(reverse("portal:network_pdf", args=["nessuna"])).status_code == 404
    assert client.post(_url(network)).status_code == 405
