"""Pages of communities of practice: list, a community, a thread, moderation, unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.lib import lists
from reti.lib.forms import add_errors

from . import actions, notifications, permissions
from .forms import HideForm, ReplyForm, ThreadForm
from .models import Community, Member, Post, Thread
from .tables import COMMUNITIES

PAGE_SIZE = 30


def visible_communities(user):
    """The communities `user` may see."""
    scope = permissions.visible_communities_filter(user)
    communities = Community.objects.select_related("network", "theme")
    if scope is None:
        return communities
    if "is_public" in scope:
        return communities.filter(is_public=True)
    return communities.filter(
        Q(is_public=True)
        | Q(members__user_id=scope["member_of"])
        | Q(network_id__in=scope["networks"])
    ).distinct()


def _community_for(user, slug: str) -> Community:
    """The community if `user` may see it; 404 otherwise (its existence is not disclosed)."""
    community = get_object_or_404(Community.objects.select_related("network", "theme"), slug=slug)
    if not permissions.can_view(user, community):
        raise Http404
    return community


class Paging(lists.FilterForm):
    """The communities and a community's threads filter nothing; they are paged."""


@require_safe
@lists.filtered_by(Paging)
def community_list(request, filters: Paging):
    communities = visible_communities(request.user).annotate(
        member_count=Count("members", distinct=True),
        thread_count=Count("threads", distinct=True),
    )
    return lists.respond(
        request,
        filters,
        communities,
        COMMUNITIES,
        "communities/list.html",
        ordering=("name_it", "pk"),
        size=PAGE_SIZE,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@lists.filtered_by(Paging)
def community_detail(request, filters: Paging, slug: str):
    community = _community_for(request.user, slug)
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{community.get_absolute_url()}")
        if form.is_valid():
            try:
                thread = actions.start_thread(request.user, community, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect(thread.get_absolute_url())
    threads = community.threads.annotate(post_count=Count("posts")).select_related("author")
    page = lists.keyset(
        threads, PAGE_SIZE, ("-last_post_at", "-pk"), after=filters.after, before=filters.before
    )
    page.links = lists.page_links(request, filters, page)
    context = {
        "community": community,
        "page": page,
        "problems": filters.problems,
        "form": form,
        "member": permissions.is_member(request.user, community),
        "can_join": permissions.can_join(request.user, community),
        "moderator": permissions.can_moderate(request.user, community),
    }
    return render(
        request, "communities/detail.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def join(request, slug: str):
    community = _community_for(request.user, slug)
    actions.join(request.user, community)
    messages.success(request, _("Ora fai parte della comunità."))
    return redirect(community.get_absolute_url())


@login_required
@require_POST
def leave(request, slug: str):
    community = _community_for(request.user, slug)
    try:
        actions.leave(request.user, community)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Sei uscito dalla comunità."))
    return redirect("communities:list")


def _thread_for(user, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("community", "author"), pk=pk)
    if not permissions.can_view(user, thread.community):
        raise Http404
    return thread


@require_http_methods(["GET", "HEAD", "POST"])
def thread_detail(request, pk: int):
    thread = _thread_for(request.user, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and request.user.is_authenticated and form.is_valid():
        try:
            actions.reply(request.user, thread, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(f"{thread.get_absolute_url()}#last")
    elif request.method == "POST" and not request.user.is_authenticated:
        raise PermissionDenied
    moderator = permissions.can_moderate(request.user, thread.community)
    context = {
        "thread": thread,
        "community": thread.community,
        "posts": thread.posts.select_related("author"),
        "form": form,
        "can_reply": permissions.can_reply(request.user, thread),
        "moderator": moderator,
    }
    return render(
        request, "communities/thread.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def hide_post(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("thread__community"), pk=pk)
    form = HideForm(request.POST)
    form.is_valid()
    actions.set_post_hidden(
        request.user,
        post,
        hidden=form.cleaned_data.get("hidden", False),
        reason=form.cleaned_data.get("reason", ""),
    )
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")


@login_required
@require_POST
def lock_thread(request, pk: int):
    thread = get_object_or_404(Thread.objects.select_related("community"), pk=pk)
    actions.set_thread_locked(request.user, thread, locked=request.POST.get("locked") == "1")
    return redirect(thread.get_absolute_url())


@csrf_exempt  # RFC 8058: the mail client POSTs without a session or a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET shows a button (link scanners must not unsubscribe); POST unsubscribes."""
    try:
        member = notifications.member_for_token(token)
    except (PermissionDenied, Member.DoesNotExist):
        return render(request, "communities/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        actions.unsubscribe(token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=204)
        return render(request, "communities/unsubscribe.html", {"member": member, "done": True})
    return render(request, "communities/unsubscribe.html", {"member": member})
