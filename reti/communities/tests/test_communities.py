"""Communities of practice: who reads and writes, moderation, Markdown made harmless."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from reti.communities import actions, permissions
from reti.communities.markup import render_markdown
from reti.communities.models import Community, Member


def test_members_open_threads_and_reply_in_markdown(circle, cast):
    thread = actions.start_thread(
        circle.member, circle.community, title="Tirocini", body="Come **attivare** i tirocini?"
    )
    reply = actions.reply(circle.moderator, thread, body="- con le cooperative\n- con i CPI")
    assert "<strong>attivare</strong>" in thread.posts.first().body_html
    assert "<li>con le cooperative</li>" in reply.body_html
    assert thread.posts.first().history.get().history_user == circle.member


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>ciao",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="https://example.org" onclick="steal()">x</a>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_html_and_script_in_a_post_are_rendered_harmless(attack):
    html = render_markdown(attack)
    for bad in ("<script", "onerror", "javascript:", "onclick", "<style", "<iframe", "<img"):
        assert bad not in html


def test_links_get_rel_nofollow():
    assert 'rel="noopener noreferrer nofollow"' in render_markdown("[sito](https://example.org)")


@pytest.mark.parametrize("who", ["secretariat", "viewer", "outsider", None])
def test_non_members_do_not_write(circle, cast, who):
    user = getattr(cast, who) if who else None
    with pytest.raises(PermissionDenied):
        actions.start_thread(user, circle.community, title="X", body="Y")


def test_a_private_community_is_seen_by_members_moderators_and_its_secretariat(circle, cast):
    assert permissions.can_view(circle.member, circle.community)
    assert permissions.can_view(cast.secretariat, circle.community)  # the network's
    assert permissions.can_view(cast.staff, circle.community)
    for user in (cast.viewer, cast.outsider, None):
        assert not permissions.can_view(user, circle.community)
    assert permissions.can_view(None, circle.open_community)


def test_anyone_signed_in_joins_a_public_community_not_a_private_one(circle, cast):
    actions.join(cast.outsider, circle.open_community)
    assert permissions.can_post(cast.outsider, circle.open_community)
    with pytest.raises(PermissionDenied):
        actions.join(cast.outsider, circle.community)
    with pytest.raises(PermissionDenied):
        actions.join(None, circle.open_community)


def test_moderators_add_members_others_do_not(circle, cast):
    actions.add_member(circle.moderator, circle.community, cast.outsider)
    assert permissions.is_member(cast.outsider, circle.community)
    with pytest.raises(PermissionDenied):
        actions.add_member(circle.member, circle.community, cast.viewer)


def test_a_moderator_hides_a_post_and_locks_a_thread(circle, cast):
    thread = actions.start_thread(circle.member, circle.community, title="T", body="Spam")
    post = thread.posts.get()
    actions.set_post_hidden(circle.moderator, post, hidden=True, reason="fuori tema")
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "fuori tema"
    assert post.history.first().history_user == circle.moderator
    actions.set_thread_locked(cast.secretariat, thread, locked=True)
    with pytest.raises(ValidationError, match="chiusa"):
        actions.reply(circle.member, thread, body="Ancora?")


@pytest.mark.parametrize("who", ["toscana_officer", "viewer", "outsider", None])
def test_others_do_not_moderate(circle, cast, who):
    thread = actions.start_thread(circle.member, circle.community, title="T", body="Testo")
    user = getattr(cast, who) if who else None
    with pytest.raises(PermissionDenied):
        actions.set_post_hidden(user, thread.posts.get(), hidden=True)
    with pytest.raises(PermissionDenied):
        actions.set_thread_locked(user, thread, locked=True)


def test_an_empty_message_names_the_field(circle):
    with pytest.raises(ValidationError) as error:
        actions.start_thread(circle.member, circle.community, title="Vuoto", body="   ")
    assert "body" in error.value.message_dict
    assert not circle.community.threads.exists()


def test_the_network_secretariat_creates_a_community_and_moderates_it(cast):
    community = actions.save_community(
        cast.secretariat, Community(slug="cdp-nuova", name_it="Nuova", network=cast.network)
    )
    assert Member.objects.get(community=community, user=cast.secretariat).role == "moderator"
    with pytest.raises(PermissionDenied):
        actions.save_community(cast.toscana_officer, Community(slug="x", name_it="X"))


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("staff", True),
        ("secretariat", True),  # of the community's network
        ("toscana_officer", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_staff_or_the_networks_secretariat_create_its_community(cast, who, allowed):
    user = AnonymousUser() if who == "anonymous" else getattr(cast, who)
    assert permissions.can_create_community(user, cast.network.pk) is allowed
    # A community of no network is staff's alone.
    assert permissions.can_create_community(user, None) is (who == "staff")


def test_joining_records_who_joined_in_the_trail(cast, circle):
    member = actions.join(cast.outsider, circle.open_community)
    assert member.history.get().history_user == cast.outsider
    # Joining twice changes nothing.
    assert actions.join(cast.outsider, circle.open_community) == member
    assert member.history.count() == 1
