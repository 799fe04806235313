"""Notices of new posts to a community's members, each with a one-click unsubscribe.

Every message carries its member's own signed link in the body and in the List-Unsubscribe
header, with List-Unsubscribe-Post (RFC 8058): a mail client's "unsubscribe" button POSTs
"List-Unsubscribe=One-Click" to that URL and the member stops receiving notices.
"""

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reti.lib.mail import site_url

from .models import Member, Post

SALT = "reti.communities.unsubscribe"


def unsubscribe_token(member: Member) -> str:
    return signing.dumps(member.pk, salt=SALT)


def member_for_token(token: str) -> Member:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise PermissionDenied("This unsubscribe link is not valid.") from exc
    return Member.objects.select_related("user", "community").get(pk=pk)


def notify_members(post_id: int) -> int:
    """E-mail the members who want notices about a new post; returns the messages sent."""
    post = Post.objects.select_related("thread__community", "author").get(pk=post_id)
    thread = post.thread
    community = thread.community
    members = (
        Member.objects.filter(community=community, notify=True)
        .exclude(user_id=post.author_id)
        .exclude(user__email="")
        .select_related("user")
    )
    with translation.override("it"):
        thread_url = site_url(thread.get_absolute_url())
        subject = f"[{community.name}] {thread.title}"
        messages = []
        for member in members.iterator(chunk_size=500):
            url = site_url(reverse("communities:unsubscribe", args=[unsubscribe_token(member)]))
            body = render_to_string(
                "communities/email/new_post.txt",
                {
                    "post": post,
                    "thread": thread,
                    "community": community,
                    "thread_url": thread_url,
                    "unsubscribe_url": url,
                },
            )
            messages.append(
                EmailMessage(
                    subject,
                    body,
                    to=[member.user.email],
                    headers={
                        "List-Unsubscribe": f"<{url}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                )
            )
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
