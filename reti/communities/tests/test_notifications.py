"""Notices of new posts: sent to members who want them, with a one-click unsubscribe."""

from django.urls import reverse

from reti.communities import actions
from reti.communities.models import Member


def test_members_are_notified_of_a_new_thread_except_its_author(circle, cast, mails):
    actions.start_thread(circle.member, circle.community, title="Tirocini", body="Idee?")
    (message,) = mails
    assert message.to == [cast.lazio_officer.email]
    assert message.subject == "[Inclusione lavorativa delle vittime di tratta] Tirocini"
    assert "Idee?" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/disiscrizione/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


def test_one_click_unsubscribe_stops_the_notices(circle, cast, client, mails):
    thread = actions.start_thread(circle.member, circle.community, title="T", body="Uno")
    url = mails[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("127.0.0.1:8000", 1)[1]
    # RFC 8058: the mail client POSTs this body, without cookies or CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert not Member.objects.get(community=circle.community, user=cast.lazio_officer).notify
    actions.reply(circle.member, thread, body="Due")
    assert len(mails) == 1


def test_opening_the_link_asks_before_unsubscribing(circle, cast, client, mails):
    actions.start_thread(circle.member, circle.community, title="T", body="Uno")
    path = mails[0].extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]
    assert "Non inviarmi più avvisi" in client.get(path).content.decode()
    assert Member.objects.get(community=circle.community, user=cast.lazio_officer).notify
    client.post(path)
    assert not Member.objects.get(community=circle.community, user=cast.lazio_officer).notify


def test_a_forged_unsubscribe_link_is_refused(client, db):
    response = client.post(reverse("communities:unsubscribe", args=["1:forged"]))
    assert response.status_code == 404
