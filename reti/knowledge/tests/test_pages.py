"""The portal's practice pages, as the cast and anonymous visitors see them."""

import pytest
from django.urls import reverse

from reti.knowledge.models import GoodPractice, Transfer

pytestmark = pytest.mark.django_db
State = GoodPractice.State


def test_the_catalogue_lists_published_practices_only(client, draft, cast):
    from .factories import PracticeFactory

    other = PracticeFactory(title_it="Pratica ancora in bozza", lead_organisation=cast.lazio)
    GoodPractice.objects.filter(pk=draft.pk).update(
        state=State.PUBLISHED,
        submitted_at="2024-01-01T00:00Z",
        validated_at="2024-01-02T00:00Z",
        published_at="2024-01-03T00:00Z",
    )
    page = client.get(reverse("knowledge:practice_list")).content.decode()
    assert "Inserimento lavorativo in cooperativa" in page
    assert other.title_it not in page


@pytest.mark.parametrize("who", [None, "lazio_officer", "outsider", "viewer"])
def test_a_draft_is_not_found_by_others(client, cast, draft, who):
    if who:
        client.force_login(getattr(cast, who))
    response = client.get(reverse("knowledge:practice_detail", args=[draft.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["toscana_officer", "secretariat", "staff"])
def test_a_draft_is_seen_by_its_authors_secretariat_and_staff(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("knowledge:practice_detail", args=[draft.pk]))
    assert response.status_code == 200
    assert "Inserimento lavorativo in cooperativa" in response.content.decode()


def test_html_in_a_text_field_is_shown_as_text(client, published):
    published.summary_it = '<script>alert("x")</script><b onclick="x()">grassetto</b>'
    published.save()
    page = client.get(reverse("knowledge:practice_detail", args=[published.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<b onclick" not in page


def test_an_author_creates_a_draft_from_the_form(client, cast):
    client.force_login(cast.toscana_officer)
    response = client.post(
        reverse("knowledge:practice_create"),
        {
            "title_it": "Orti sociali in carcere",
            "summary_it": "Lavoro agricolo per detenuti.",
            "status_it": "original",
            "status_en": "missing",
            "lead_organisation": cast.toscana.pk,
            "network": cast.network.pk,
        },
    )
    practice = GoodPractice.objects.get(title_it="Orti sociali in carcere")
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:practice_edit", args=[practice.pk])
    assert practice.state == State.DRAFT
    assert practice.history.first().history_user == cast.toscana_officer


def test_the_form_names_the_field_in_error(client, cast):
    client.force_login(cast.toscana_officer)
    response = client.post(
        reverse("knowledge:practice_create"),
        {
            "title_it": "Date sbagliate",
            "status_it": "original",
            "status_en": "missing",
            "lead_organisation": cast.toscana.pk,
            "start_date": "2013-01-01",
            "end_date": "2012-01-01",
            "territory_code": "ZZ9",
        },
    )
    assert response.status_code == 200
    assert "Territorio sconosciuto: ZZ9" in response.content.decode()
    assert not GoodPractice.objects.filter(title_it="Date sbagliate").exists()


def test_an_editor_cannot_create_for_another_organisation(client, cast):
    client.force_login(cast.lazio_officer)
    response = client.post(
        reverse("knowledge:practice_create"),
        {
            "title_it": "X",
            "status_it": "original",
            "status_en": "missing",
            "lead_organisation": cast.toscana.pk,
        },
    )
    assert response.status_code == 200  # the choice is refused by the form
    assert not GoodPractice.objects.filter(title_it="X").exists()


def test_anonymous_and_outsiders_cannot_open_the_form(client, cast):
    response = client.get(reverse("knowledge:practice_create"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    client.force_login(cast.outsider)
    assert client.get(reverse("knowledge:practice_create")).status_code == 403


def test_a_wrong_user_cannot_edit(client, cast, draft):
    client.force_login(cast.lazio_officer)
    assert client.get(reverse("knowledge:practice_edit", args=[draft.pk])).status_code == 404
    client.force_login(cast.secretariat)
    assert client.get(reverse("knowledge:practice_edit", args=[draft.pk])).status_code == 403


def test_submit_validate_publish_through_the_pages(client, cast, draft):
    client.force_login(cast.toscana_officer)
    client.post(reverse("knowledge:practice_submit", args=[draft.pk]))
    assert GoodPractice.objects.get(pk=draft.pk).state == State.SUBMITTED

    client.force_login(cast.secretariat)
    queue = client.get(reverse("knowledge:review_queue")).content.decode()
    assert draft.title_it in queue
    response = client.post(
        reverse("knowledge:practice_validate", args=[draft.pk]), {"comment": ""}, follow=True
    )
    assert "Scrivere un commento di validazione." in response.content.decode()
    client.post(reverse("knowledge:practice_validate", args=[draft.pk]), {"comment": "Ottima."})
    client.post(reverse("knowledge:practice_publish", args=[draft.pk]))
    assert GoodPractice.objects.get(pk=draft.pk).state == State.PUBLISHED
    client.logout()
    page = client.get(reverse("knowledge:practice_detail", args=[draft.pk])).content.decode()
    assert "Ottima." in page


def test_send_back_shows_the_reasons_to_the_author(client, cast, submitted):
    client.force_login(cast.secretariat)
    client.post(
        reverse("knowledge:practice_send_back", args=[submitted.pk]),
        {"reasons": "Aggiungere i risultati."},
    )
    client.force_login(cast.toscana_officer)
    page = client.get(reverse("knowledge:practice_edit", args=[submitted.pk])).content.decode()
    assert "Aggiungere i risultati." in page


@pytest.mark.parametrize(
    ("name", "field"), [("practice_validate", "comment"), ("practice_send_back", "reasons")]
)
def test_an_overlong_review_text_is_refused_with_a_message(client, cast, submitted, name, field):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse(f"knowledge:{name}", args=[submitted.pk]), {field: "x" * 5001}, follow=True
    )
    assert "5000" in response.content.decode()
    assert GoodPractice.objects.get(pk=submitted.pk).state == State.SUBMITTED


@pytest.mark.parametrize("name", ["practice_validate", "practice_send_back"])
@pytest.mark.parametrize("who", ["lazio_officer", "toscana_officer", "outsider"])
def test_wrong_users_are_refused_before_their_text_is_read(client, cast, submitted, who, name):
    # An empty text from the wrong user is a refusal, not a message about the text.
    client.force_login(getattr(cast, who))
    response = client.post(reverse(f"knowledge:{name}", args=[submitted.pk]), {})
    assert response.status_code in (403, 404)
    assert GoodPractice.objects.get(pk=submitted.pk).state == State.SUBMITTED


@pytest.mark.parametrize("who", ["lazio_officer", "toscana_officer", "outsider"])
def test_wrong_users_cannot_validate_or_see_the_queue(client, cast, submitted, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("knowledge:practice_validate", args=[submitted.pk]), {"comment": "ok"}
    )
    assert response.status_code in (403, 404)
    assert GoodPractice.objects.get(pk=submitted.pk).state == State.SUBMITTED
    assert client.get(reverse("knowledge:review_queue")).status_code == 403


def test_anonymous_cannot_publish(client, validated):
    response = client.post(reverse("knowledge:practice_publish", args=[validated.pk]))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    assert GoodPractice.objects.get(pk=validated.pk).state == State.VALIDATED


def test_recording_a_transfer_shows_it_on_the_practice_and_the_outcomes(client, cast, published):
    client.force_login(cast.lazio_officer)
    response = client.post(
        reverse("knowledge:transfer_create", args=[published.pk]),
        {
            "adopting_organisation": cast.lazio.pk,
            "stage": "adopted",
            "start_date": "2013-03-01",
            "adapted_it": "Adattata alle carceri laziali.",
        },
    )
    assert response.status_code == 302
    assert Transfer.objects.get().adopting_organisation == cast.lazio
    page = client.get(reverse("knowledge:practice_detail", args=[published.pk])).content.decode()
    assert "Adattata alle carceri laziali." in page
    outcomes = client.get(reverse("knowledge:outcomes")).content.decode()
    assert f'data-network="{cast.network.slug}"' in outcomes


def test_a_transfer_for_an_organisation_one_does_not_edit_is_refused(client, cast, published):
    client.force_login(cast.outsider)
    response = client.post(
        reverse("knowledge:transfer_create", args=[published.pk]),
        {"adopting_organisation": cast.lazio.pk, "stage": "interest"},
    )
    assert response.status_code == 403
    assert not Transfer.objects.exists()


def test_versions_show_what_changed(client, cast, draft):
    from reti.knowledge import actions

    draft.title_it = "Titolo nuovo della pratica"
    actions.update_practice(cast.toscana_officer, draft)
    client.force_login(cast.toscana_officer)
    page = client.get(reverse("knowledge:practice_detail", args=[draft.pk])).content.decode()
    assert "Inserimento lavorativo in cooperativa" in page  # the old value, in the diff
    assert "Titolo nuovo della pratica" in page


def test_a_practice_without_versions_shows_no_empty_versions_table(client, published):
    published.history.all().delete()  # as bulk-loaded demo practices are
    page = client.get(reverse("knowledge:practice_detail", args=[published.pk])).content.decode()
    assert 'id="practice-versions"' not in page and "versions-title" not in page


def test_a_transfer_shows_on_both_organisations_pages(client, cast, published):
    Transfer.objects.create(practice=published, adopting_organisation=cast.lazio, stage="interest")
    for org, direction in ((cast.toscana, "given"), (cast.lazio, "taken")):
        page = client.get(reverse("portal:organisation_detail", args=[org.pk])).content.decode()
        assert f'data-direction="{direction}"' in page
        assert published.title_it in page


def test_a_drafts_transfers_stay_off_the_organisation_pages(client, cast, draft):
    Transfer.objects.create(practice=draft, adopting_organisation=cast.lazio, stage="interest")
    page = client.get(reverse("portal:organisation_detail", args=[cast.lazio.pk])).content.decode()
    assert draft.title_it not in page


def test_pages_speak_english_under_en(client, published):
    from django.utils import translation

    with translation.override("en"):
        url = reverse("knowledge:practice_detail", args=[published.pk])
        listing = reverse("knowledge:practice_list")
    assert url.startswith("/en/")
    page = client.get(url).content.decode()
    assert "Published" in page and "Versions" in page
    assert "Search the practices and their attachments" in client.get(listing).content.decode()


def test_outcomes_sum_transfers_per_network_and_stage(cast, published):
    from reti.knowledge import outcomes
    from reti.registry.tests import factories as rf

    Transfer.objects.create(practice=published, adopting_organisation=cast.lazio, stage="interest")
    Transfer.objects.create(
        practice=published,
        adopting_organisation=rf.OrganisationFactory(),
        stage="adopted",
        start_date="2013-01-01",
    )
    [row] = outcomes.per_network()
    assert row["network"] == cast.network
    assert row["total"] == 2 and row["organisations"] == 2
    assert row["interest"] == 1 and row["adopted"] == 1 and row["implementation"] == 0


def test_an_author_edits_a_sent_back_practice_from_the_form(client, cast, submitted):
    from reti.knowledge import actions

    actions.send_back_practice(cast.secretariat, submitted, "Manca la sintesi inglese.")
    client.force_login(cast.toscana_officer)
    response = client.post(
        reverse("knowledge:practice_edit", args=[submitted.pk]),
        {
            "title_it": submitted.title_it,
            "summary_it": "Sintesi.",
            "summary_en": "Summary in English.",
            "status_it": "original",
            "status_en": "translated",
            "lead_organisation": cast.toscana.pk,
            "network": cast.network.pk,
        },
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get(pk=submitted.pk)
    assert practice.summary_en == "Summary in English."
    assert practice.state == State.SENT_BACK
    assert "Summary in English." in practice.search_text


def test_the_english_practice_page_has_english_section_headings(client, published):
    from django.utils import translation

    texts = {f"{name}_{lang}": f"{name} {lang}" for name in SECTIONS for lang in ("it", "en")}
    GoodPractice.objects.filter(pk=published.pk).update(**texts)
    with translation.override("en"):
        url = reverse("knowledge:practice_detail", args=[published.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    for name, english in SECTIONS.items():
        assert f'<h2 class="h4" id="text-{name}">{english}</h2>' in page
        assert f"{name} en" in page and f"{name} it" not in page
    for italian in ("Sintesi", "Descrizione", "Contesto e problema", "Risorse necessarie"):
        assert f">{italian}" not in page


SECTIONS = {
    "summary": "Summary",
    "description": "Description",
    "context": "Context and problem addressed",
    "resources": "Resources needed",
    "results": "Results",
}
