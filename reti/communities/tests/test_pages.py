"""Community pages: members-only unless public, posting, moderation from the page."""

import pytest
from django.urls import reverse

from reti.communities import actions


def test_the_list_shows_private_communities_to_members_only(client, circle, cast):
    page = client.get(reverse("communities:list")).content.decode()
    assert "Responsabilità sociale" in page and "vittime di tratta" not in page
    client.force_login(circle.member)
    page = client.get(reverse("communities:list")).content.decode()
    assert "vittime di tratta" in page


@pytest.mark.parametrize("who", [None, "viewer", "outsider"])
def test_a_private_community_is_not_found_by_others(client, circle, cast, who):
    if who:
        client.force_login(getattr(cast, who))
    thread = actions.start_thread(circle.member, circle.community, title="Riservata", body="x")
    assert client.get(reverse("communities:detail", args=["cdp-vittime-tratta"])).status_code == 404
    assert client.get(reverse("communities:thread", args=[thread.pk])).status_code == 404


def test_a_member_opens_a_thread_and_replies_from_the_pages(client, circle):
    client.force_login(circle.member)
    response = client.post(
        reverse("communities:detail", args=["cdp-vittime-tratta"]),
        {"title": "Borse lavoro", "body": "Chi le usa? <script>x()</script>"},
    )
    thread = circle.community.threads.get()
    assert response.url == reverse("communities:thread", args=[thread.pk])
    client.post(reverse("communities:thread", args=[thread.pk]), {"body": "Noi, in *Toscana*."})
    page = client.get(reverse("communities:thread", args=[thread.pk])).content.decode()
    assert "<em>Toscana</em>" in page
    assert "<script>x()" not in page


def test_a_moderator_hides_from_the_page_and_readers_see_the_notice(client, circle):
    thread = actions.start_thread(circle.member, circle.community, title="T", body="Offesa")
    post = thread.posts.get()
    client.force_login(circle.moderator)
    client.post(reverse("communities:hide", args=[post.pk]), {"hidden": "on", "reason": "tono"})
    client.force_login(circle.member)
    page = client.get(reverse("communities:thread", args=[thread.pk])).content.decode()
    assert "Messaggio nascosto dalla moderazione" in page and "Offesa" not in page


def test_a_member_may_not_hide_from_the_page(client, circle):
    thread = actions.start_thread(circle.moderator, circle.community, title="T", body="Testo")
    client.force_login(circle.member)
    response = client.post(
        reverse("communities:hide", args=[thread.posts.get().pk]), {"hidden": "on"}
    )
    assert response.status_code == 403


def test_joining_a_public_community_from_the_page(client, circle, cast):
    client.force_login(cast.outsider)
    client.post(reverse("communities:join", args=["cdp-rsi"]))
    page = client.get(reverse("communities:detail", args=["cdp-rsi"])).content.decode()
    assert "Apri una discussione" in page
    assert client.get(reverse("communities:join", args=["cdp-rsi"])).status_code == 405
