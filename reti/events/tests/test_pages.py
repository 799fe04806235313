"""The portal's event pages as visitors and organisers see them."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reti.events import actions, views
from reti.events.models import Event, Registration
from reti.events.tests.factories import EventFactory, RegistrationFactory


def test_list_shows_upcoming_events_and_filters_by_kind(client, visit):
    EventFactory(kind=Event.Kind.PEER_REVIEW, title_it="Peer review di Bologna")
    EventFactory(
        title_it="Visita passata",
        start=timezone.now() - timedelta(days=9),
        end=timezone.now() - timedelta(days=8),
    )
    page = client.get(reverse("events:list")).content.decode()
    assert "Visita a Firenze" in page and "Peer review di Bologna" in page
    assert "Visita passata" not in page
    page = client.get(reverse("events:list"), {"kind": "peer_review"}).content.decode()
    assert "Peer review di Bologna" in page and "Visita a Firenze" not in page
    page = client.get(reverse("events:list"), {"when": "past"}).content.decode()
    assert "Visita passata" in page


def test_the_network_filter_marks_the_chosen_network_and_follows_renames(client, visit):
    network = visit.network
    options = re.compile(r'<option value="([^"]+)"( selected)?>([^<]+)</option>')

    def shown(**params):
        page = client.get(reverse("events:list"), params).content.decode()
        page = page[page.index('id="filter-network"') :]
        page = page[: page.index("</select>")]
        return {
            slug: (bool(chosen), html.unescape(name))
            for slug, chosen, name in options.findall(page)
        }

    assert shown()[network.slug][0] is False
    assert shown(network=network.slug)[network.slug][0] is True
    assert shown(network=network.slug)[network.slug][1] == str(network)
    network.name_it = "Rete delle visite & degli scambi"
    network.acronym = ""
    network.save()
    renamed = shown(network=network.slug)
    assert renamed[network.slug] == (True, "Rete delle visite & degli scambi")
    assert [slug for slug, (chosen, _) in renamed.items() if chosen] == [network.slug]


def test_an_event_under_way_is_upcoming_first_and_not_past(client, visit):
    """Upcoming means still to end: an event that began weeks ago and ends next week comes
    before those still to begin; the past list holds only events that have ended."""
    now = timezone.now()
    EventFactory(
        title_it="Percorso lungo in corso",
        start=now - timedelta(days=40),
        end=now + timedelta(days=6),
    )
    EventFactory(
        title_it="Visita conclusa", start=now - timedelta(days=3), end=now - timedelta(days=2)
    )
    page = client.get(reverse("events:list")).content.decode()
    assert "Percorso lungo in corso" in page and "Visita conclusa" not in page
    assert page.index("Percorso lungo in corso") < page.index("Visita a Firenze")
    past = client.get(reverse("events:list"), {"when": "past"}).content.decode()
    assert "Visita conclusa" in past and "Percorso lungo in corso" not in past


def test_an_event_under_way_recorded_after_a_visit_to_the_list_shows_at_once(client, visit):
    client.get(reverse("events:list"))
    now = timezone.now()
    EventFactory(
        title_it="Iniziato ieri", start=now - timedelta(days=1), end=now + timedelta(days=1)
    )
    page = client.get(reverse("events:list")).content.decode()
    assert "Iniziato ieri" in page
    assert page.index("Iniziato ieri") < page.index("Visita a Firenze")


def test_detail_lists_only_participants_who_consented(client, visit):
    RegistrationFactory(event=visit, name="Chiara Consenziente", public_consent=True)
    RegistrationFactory(event=visit, name="Riservato Rossi", public_consent=False)
    page = client.get(reverse("events:detail", args=[visit.pk])).content.decode()
    assert "Chiara Consenziente" in page
    assert "Riservato Rossi" not in page
    assert "2 su 2 occupati" in page


def test_organisers_see_every_registration_with_emails(client, cast, visit):
    RegistrationFactory(event=visit, name="Riservato Rossi", email="riservato@example.org")
    client.force_login(cast.toscana_officer)
    page = client.get(reverse("events:detail", args=[visit.pk])).content.decode()
    assert "riservato@example.org" in page
    client.force_login(cast.lazio_officer)
    page = client.get(reverse("events:detail", args=[visit.pk])).content.decode()
    assert "riservato@example.org" not in page


def test_anonymous_registration_from_the_page(client, visit, mails):
    response = client.post(
        reverse("events:register", args=[visit.pk]),
        {"name": "Anna Bianchi", "email": "anna@example.org", "language": "it"},
        follow=True,
    )
    assert "Iscrizione confermata" in response.content.decode()
    assert visit.registrations.get().status == Registration.Status.CONFIRMED
    assert mails[0].to == ["anna@example.org"]


def test_registering_twice_from_the_page_says_so_on_the_email_field(client, visit):
    data = {"name": "Anna Bianchi", "email": "anna@example.org", "language": "it"}
    client.post(reverse("events:register", args=[visit.pk]), data)
    response = client.post(reverse("events:register", args=[visit.pk]), data)
    assert response.status_code == 400
    assert "Risulti già iscritto" in response.content.decode()
    assert visit.registrations.count() == 1


def test_after_the_deadline_the_page_offers_no_form(client, db):
    event = EventFactory(registration_deadline=timezone.now() - timedelta(minutes=1))
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Le iscrizioni sono chiuse" in page
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"name": "Tardi", "email": "tardi@example.org", "language": "it"},
    )
    assert response.status_code == 400
    assert "si sono chiuse" in response.content.decode()


def test_register_page_refuses_get(client, visit):
    assert client.get(reverse("events:register", args=[visit.pk])).status_code == 405


def test_cancel_through_the_emailed_link(client, visit):
    registration = actions.register(None, visit, name="Link", email="link@example.org")
    url = reverse("events:cancel_by_link", args=[actions.cancel_token(registration)])
    assert "Vuoi annullare" in client.get(url).content.decode()
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert client.get(reverse("events:cancel_by_link", args=["forged"])).status_code == 404


@pytest.mark.parametrize("who", [None, "lazio_officer", "viewer", "outsider"])
def test_only_organisers_open_the_organiser_pages(client, cast, visit, who):
    if who:
        client.force_login(getattr(cast, who))
    for name in ("events:edit", "events:outputs"):
        response = client.get(reverse(name, args=[visit.pk]))
        assert response.status_code in (302, 403)
    response = client.post(reverse("events:attendance", args=[visit.pk]))
    assert response.status_code in (302, 403)


def test_an_organiser_creates_an_event_from_the_portal(client, cast):
    client.force_login(cast.toscana_officer)
    response = client.post(
        reverse("events:create"),
        {
            "kind": "study_visit",
            "title_it": "Visita alle cooperative di Prato",
            "host": cast.toscana.pk,
            "start": "2031-05-04T09:30",
            "end": "2031-05-04T17:00",
            "capacity": "20",
        },
    )
    event = Event.objects.get(title_it="Visita alle cooperative di Prato")
    assert response.url == reverse("events:detail", args=[event.pk])
    assert event.history.get().history_user == cast.toscana_officer


def test_an_event_ending_before_it_starts_is_refused_on_the_form(client, cast):
    client.force_login(cast.toscana_officer)
    response = client.post(
        reverse("events:create"),
        {
            "kind": "study_visit",
            "title_it": "Al contrario",
            "host": cast.toscana.pk,
            "start": "2031-05-04T17:00",
            "end": "2031-05-04T09:00",
        },
    )
    assert response.status_code == 400
    assert "deve seguire" in response.content.decode()
    assert not Event.objects.filter(title_it="Al contrario").exists()


def test_an_editor_may_not_host_for_another_organisation(client, cast):
    client.force_login(cast.lazio_officer)
    response = client.post(
        reverse("events:create"),
        {
            "kind": "study_visit",
            "title_it": "Per conto d'altri",
            "host": cast.toscana.pk,
            "start": "2031-05-04T09:00",
            "end": "2031-05-04T17:00",
        },
    )
    assert response.status_code == 400
    assert not Event.objects.filter(title_it="Per conto d'altri").exists()


def test_calendar_month_grid_and_list(client, visit):
    month = timezone.localtime(visit.start).strftime("%Y-%m")
    page = client.get(reverse("events:calendar"), {"month": month}).content.decode()
    assert page.count("Visita a Firenze") == 2  # in the grid and in the month's list
    page = client.get(reverse("events:calendar"), {"month": "1999-01"}).content.decode()
    assert "Nessun evento in questo mese" in page


def _walk(client, params: dict, rel: str, first_query: str = "") -> list[list[int]]:
    """The event ids of each page, following the `rel` (next / prev) links from the first."""
    pages, query = [], first_query
    while True:
        url = reverse("events:list") + (f"?{query}" if query else "")
        page = client.get(url, params if not query else None).content.decode()
        pages.append([int(pk) for pk in re.findall(r'<li class="card[^"]*" data-id="(\d+)"', page)])
        link = re.search(rf'rel="{rel}" href="[^"?]*\?([^"]+)"', page)
        if link is None:
            return pages
        query = html.unescape(link.group(1))


@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_pages_of_the_list_follow_one_another_in_order_and_back(client, cast, monkeypatch, when):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    now = timezone.now()
    sign = 1 if when == "upcoming" else -1
    # Two by two on the same start: the id decides between them, across a page's edge too.
    events = [
        EventFactory(
            host=cast.toscana,
            start=now + sign * timedelta(days=1 + n // 2),
            end=now + sign * timedelta(days=1 + n // 2) + timedelta(hours=2 * sign + 4),
        )
        for n in range(8)
    ]
    ongoing = EventFactory(
        host=cast.toscana, start=now - timedelta(days=60), end=now + timedelta(hours=1)
    )
    if when == "upcoming":
        expected = [ongoing.pk] + [e.pk for e in sorted(events, key=lambda e: (e.start, e.pk))]
    else:
        expected = [e.pk for e in sorted(events, key=lambda e: (e.start, e.pk), reverse=True)]

    forward = _walk(client, {"when": when}, "next")
    assert [len(page) for page in forward] == [3, 3, 3] if when == "upcoming" else [3, 3, 2]
    assert [pk for page in forward for pk in page] == expected

    last = client.get(reverse("events:list"), {"when": when}).content.decode()
    for _ in range(len(forward) - 1):
        query = html.unescape(re.search(r'rel="next" href="[^"?]*\?([^"]+)"', last).group(1))
        last = client.get(f"{reverse('events:list')}?{query}").content.decode()
    assert "when=" + when in query  # the filters travel with the page
    backward = _walk(client, {}, "prev", first_query=query)
    assert backward == forward[::-1]
