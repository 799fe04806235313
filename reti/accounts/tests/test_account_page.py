"""The account page: each user's organisations and roles, communities, registrations, drafts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reti.communities.models import Community, Member
from reti.events.models import Registration
from reti.events.tests.factories import EventFactory, RegistrationFactory
from reti.knowledge.models import GoodPractice
from reti.knowledge.tests.factories import PracticeFactory
from reti.monitoring.tests import factories as mf


@pytest.fixture
def records(cast):
    community = Community.objects.create(slug="cdp-prova", name_it="Comunità di prova")
    Member.objects.create(community=community, user=cast.viewer)
    event = EventFactory(title_it="Visita di studio a Bologna")
    RegistrationFactory(event=event, user=cast.viewer, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=EventFactory(title_it="Evento di un altro"), user=cast.outsider)
    draft = PracticeFactory(title_it="Bozza della Toscana", lead_organisation=cast.toscana)
    sent_back = PracticeFactory(
        title_it="Rinviata alla Toscana",
        lead_organisation=cast.toscana,
        state=GoodPractice.State.SENT_BACK,
        sent_back_reason="Manca la sintesi in inglese.",
        submitted_at=timezone.now(),
    )
    PracticeFactory(
        title_it="Inviata dalla Toscana",
        lead_organisation=cast.toscana,
        state=GoodPractice.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    PracticeFactory(title_it="Bozza del Lazio", lead_organisation=cast.lazio)
    return community, event, draft, sent_back


def account_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 200
    return response.content.decode()


def account_section(page: str) -> str:
    """The account page's own content, without the header and footer."""
    return page.split('id="account"')[1].split("</main>")[0]


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:account')}"


def test_the_page_refuses_other_methods(client, cast):
    client.force_login(cast.viewer)
    assert client.post(reverse("accounts:account")).status_code == 405


def test_an_editor_sees_the_region_role_dashboards_and_drafts(client, cast, records):
    _community, _event, draft, sent_back = records
    page = account_page(client, cast.toscana_officer)
    assert "Regione Toscana (prova)" in page
    assert reverse("portal:organisation_detail", args=[cast.toscana.pk]) in page
    assert "Redazione" in page
    assert reverse("monitoring:dashboard") in page
    assert reverse("admin:index") in page
    assert reverse("knowledge:practice_edit", args=[draft.pk]) in page
    assert reverse("knowledge:practice_edit", args=[sent_back.pk]) in page
    assert "Inviata dalla Toscana" not in page
    assert "Bozza del Lazio" not in page
    assert 'id="auditor"' not in page


def test_a_viewer_sees_the_role_communities_and_registrations_but_no_dashboards(
    client, cast, records
):
    community, event, _draft, _sent_back = records
    page = account_page(client, cast.viewer)
    assert "Regione Toscana (prova)" in page and "Lettura" in page
    assert reverse("communities:detail", args=[community.slug]) in page
    assert reverse("events:detail", args=[event.pk]) in page
    assert "Visita di studio a Bologna" in page and "In lista d&#x27;attesa" in page
    assert "Evento di un altro" not in page
    assert reverse("monitoring:dashboard") not in page
    assert reverse("admin:index") + '"' not in account_section(page)
    assert "Bozza della Toscana" not in page


def test_an_auditor_is_told_they_read_every_organisations_data(client, db):
    page = account_page(client, mf.auditor())
    assert 'id="auditor"' in page
    assert reverse("monitoring:dashboard") in page
    assert "Non appartieni a nessuna organizzazione." in page


def test_an_outsider_sees_only_their_registration(client, cast, records):
    page = account_page(client, cast.outsider)
    assert "Non appartieni a nessuna organizzazione." in page
    assert "Evento di un altro" in page
    assert "Non sei membro di nessuna comunità." in page
    assert reverse("monitoring:dashboard") not in page


def test_staff_reach_the_back_office_from_their_page(client, cast):
    page = account_page(client, cast.staff)
    assert reverse("admin:index") in account_section(page)


def test_the_page_in_english(client, cast, records):
    client.force_login(cast.viewer)
    page = client.get("/en/area-personale/").content.decode()
    assert "<h1>My account</h1>" in page
    assert "Your organisations and roles" in page
    assert "Read only" in page


def test_the_breadcrumbs_end_on_the_account_page_once(client, cast):
    client.force_login(cast.viewer)
    page = client.get(reverse("accounts:account")).content.decode()
    trail = page.split('class="breadcrumb"')[1].split("</ol>")[0]
    assert trail.count("Area personale") == 1
    page = client.get(reverse("accounts:password_change")).content.decode()
    trail = page.split('class="breadcrumb"')[1].split("</ol>")[0]
    assert f'href="{reverse("accounts:account")}"' in trail and "Cambia la password" in trail
