"""Use cases of communities of practice: check permission, change state, write the audit trail.

A new thread or reply e-mails the members who want notices, after the transaction commits.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit

from . import notifications, permissions
from .markup import render_markdown
from .models import Community, Member, Post, Thread

# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
LEFT = gettext_noop("uscita")
MODERATION = gettext_noop("moderazione")
UNSUBSCRIBED = gettext_noop("disiscrizione dagli avvisi")


@transaction.atomic
def save_community(user, community: Community) -> Community:
    """Create (staff, or the network's secretariat) or update (moderators) a community.

    Whoever creates it becomes its first moderator.
    """
    if community.pk is None:
        allowed = permissions.can_create_community(user, community.network_id)
    else:
        allowed = permissions.can_moderate(user, Community.objects.get(pk=community.pk))
    if not allowed:
        raise PermissionDenied("You do not manage this community.")
    creating = community.pk is None
    audit.save(community, user)
    if creating:
        audit.save(Member(community=community, user=user, role=Member.Role.MODERATOR), user)
    return community


@transaction.atomic
def join(user, community: Community) -> Member:
    """Join a public community (private ones: a moderator adds you)."""
    if not permissions.can_join(user, community):
        raise PermissionDenied("This community is joined by invitation.")
    member = Member.objects.filter(community=community, user=user).first()
    if member is None:
        member = Member(community=community, user=user)
        audit.save(member, user)
    return member


@transaction.atomic
def leave(user, community: Community) -> None:
    member = Member.objects.filter(community=community, user=user).first()
    if member is None:
        raise ValidationError(_("Non fai parte di questa comunità."))
    audit.delete(member, user, LEFT)


@transaction.atomic
def add_member(actor, community: Community, user, role: str = Member.Role.MEMBER) -> Member:
    """A moderator adds someone to the community, or changes their role."""
    if not permissions.can_moderate(actor, community):
        raise PermissionDenied("You do not moderate this community.")
    member = Member.objects.filter(community=community, user=user).first() or Member(
        community=community, user=user
    )
    member.role = role
    audit.save(member, actor)
    return member


def _post(user, thread: Thread, body: str) -> Post:
    if not body.strip():
        raise ValidationError({"body": _("Scrivi il testo del messaggio.")})
    post = Post(thread=thread, author=user, body=body, body_html=render_markdown(body))
    audit.save(post, user)
    thread.last_post_at = post.created_at
    thread.save(update_fields=["last_post_at"])
    transaction.on_commit(lambda: notifications.notify_members(post.pk), robust=True)
    return post


@transaction.atomic
def start_thread(user, community: Community, *, title: str, body: str) -> Thread:
    """Open a discussion with its first message; members are notified."""
    if not permissions.can_post(user, community):
        raise PermissionDenied("Only members write in this community.")
    if not title.strip():
        raise ValidationError({"title": _("Dai un titolo alla discussione.")})
    thread = Thread(
        community=community, author=user, title=title.strip(), last_post_at=timezone.now()
    )
    audit.save(thread, user)
    _post(user, thread, body)
    return thread


@transaction.atomic
def reply(user, thread: Thread, *, body: str) -> Post:
    """Reply in a thread; refused in a locked thread or to non-members."""
    thread = Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
    if thread.locked:
        raise ValidationError(
            _("La discussione è chiusa: non si può più rispondere."), code="locked"
        )
    if not permissions.can_post(user, thread.community):
        raise PermissionDenied("Only members write in this community.")
    return _post(user, thread, body)


@transaction.atomic
def set_post_hidden(user, post: Post, *, hidden: bool, reason: str = "") -> Post:
    """A moderator hides a post (kept in the audit trail) or shows it again."""
    if not permissions.can_moderate(user, post.thread.community):
        raise PermissionDenied("You do not moderate this community.")
    post.hidden, post.hidden_reason = hidden, reason.strip() if hidden else ""
    audit.stamp(post, user, MODERATION)
    post.save(update_fields=["hidden", "hidden_reason"])
    return post


@transaction.atomic
def set_thread_locked(user, thread: Thread, *, locked: bool) -> Thread:
    """A moderator locks a thread (no more replies) or opens it again."""
    if not permissions.can_moderate(user, thread.community):
        raise PermissionDenied("You do not moderate this community.")
    thread.locked = locked
    audit.stamp(thread, user, MODERATION)
    thread.save(update_fields=["locked"])
    return thread


@transaction.atomic
def unsubscribe(token: str) -> Member:
    """Stop the notices of the membership a signed unsubscribe token names."""
    member = notifications.member_for_token(token)
    if member.notify:
        member.notify = False
        audit.stamp(member, member.user, UNSUBSCRIBED)
        member.save(update_fields=["notify"])
    return member
