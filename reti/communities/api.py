"""Communities of practice: members, threads, replies, moderation, notifications.

Reads show public communities to everyone and private ones to their members (with a token);
writes need a token and go through `reti.communities.actions`.
"""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from reti.accounts.auth import api_token_auth
from reti.accounts.models import ApiToken
from reti.lib.api.errors import RecordValidationError
from reti.lib.api.schemas import Id, Input

from . import actions, permissions
from .models import Community, Post, Thread
from .views import visible_communities

router = Router(tags=["communities"])
MESSAGE = {400: dict, 401: dict, 403: dict, 404: dict}


def _reader(request):
    """The token's user when a token is given (reads are open, tokens show more), else None."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return ApiToken.objects.authenticate(header[7:].strip())
    return None


class CommunityOut(Schema):
    id: int
    slug: str
    name_it: str
    name_en: str
    description_it: str
    description_en: str
    network: str | None = None
    theme: str | None = None
    is_public: bool
    synthetic: bool

    @staticmethod
    def resolve_network(obj):
        return obj.network.slug if obj.network_id else None

    @staticmethod
    def resolve_theme(obj):
        return obj.theme.code if obj.theme_id else None


class ThreadOut(Schema):
    id: int
    community: str
    title: str
    locked: bool
    created_at: datetime
    last_post_at: datetime

    @staticmethod
    def resolve_community(obj):
        return obj.community.slug


class PostOut(Schema):
    id: int
    author: str | None
    body_html: str | None = Field(description="Sanitised HTML; null when hidden by moderators.")
    hidden: bool
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author.username if obj.author_id else None

    @staticmethod
    def resolve_body_html(obj):
        return None if obj.hidden else obj.body_html


class ThreadDetail(ThreadOut):
    posts: list[PostOut]

    @staticmethod
    def resolve_posts(obj):
        return obj.posts.select_related("author")


class ThreadIn(Input):
    multiline = frozenset({"body"})
    title: str = Field(max_length=200)
    body: str = Field(max_length=20_000, description="Plain text or Markdown.")


class PostIn(Input):
    multiline = frozenset({"body"})
    body: str = Field(max_length=20_000, description="Plain text or Markdown.")


def _community(user, slug: str) -> Community:
    community = get_object_or_404(Community.objects.select_related("network", "theme"), slug=slug)
    if not permissions.can_view(user, community):
        raise Http404
    return community


def _run(action, *args, model, **kwargs):
    try:
        return action(*args, **kwargs)
    except DjangoValidationError as exc:
        raise RecordValidationError(exc, model) from exc


@router.get("/communities", response=list[CommunityOut], url_name="community_list")
def list_communities(request):
    """The communities the reader may see (public ones; with a token, also theirs)."""
    return visible_communities(_reader(request)).order_by("name_it", "id")


@router.get("/communities/{slug}", response={200: CommunityOut, **MESSAGE})
def get_community(request, slug: str):
    return _community(_reader(request), slug)


@router.get("/communities/{slug}/threads", response={200: list[ThreadOut], **MESSAGE})
def list_threads(request, slug: str):
    """The community's threads, most recent first (at most 200)."""
    community = _community(_reader(request), slug)
    return community.threads.select_related("community")[:200]


@router.get("/communities/threads/{thread_id}", response={200: ThreadDetail, **MESSAGE})
def get_thread(request, thread_id: Id):
    thread = get_object_or_404(Thread.objects.select_related("community"), pk=thread_id)
    _community(_reader(request), thread.community.slug)
    return thread


@router.post(
    "/communities/{slug}/threads", response={201: ThreadDetail, **MESSAGE}, auth=api_token_auth
)
def start_thread(request, slug: str, payload: ThreadIn):
    """Open a thread (members); the other members are notified."""
    community = _community(request.auth, slug)
    thread = _run(actions.start_thread, request.auth, community, **payload.dict(), model=Thread)
    return Status(201, thread)


@router.post(
    "/communities/threads/{thread_id}/posts",
    response={201: PostOut, **MESSAGE},
    auth=api_token_auth,
)
def reply(request, thread_id: Id, payload: PostIn):
    """Reply in a thread (members; not in a locked thread)."""
    thread = get_object_or_404(Thread.objects.select_related("community"), pk=thread_id)
    _community(request.auth, thread.community.slug)
    post = _run(actions.reply, request.auth, thread, body=payload.body, model=Post)
    return Status(201, post)
