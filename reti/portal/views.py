from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.lib import cache
from reti.registry import changes, permissions
from reti.registry.models import Network, Organisation, Project

from .history import KINDS, audit_entries

HISTORY_PAGE_SIZE = 50


def _registry_counts() -> dict[str, int]:
    """Counting two million projects takes tens of milliseconds: kept until records come or go."""
    return {
        "networks": Network.objects.count(),
        "projects": Project.objects.count(),
        "organisations": Organisation.objects.count(),
    }


@require_safe
def home(request):
    counts = cache.cached(
        (changes.NETWORKS, changes.PROJECTS), ("registry-counts",), _registry_counts
    )
    context = {
        "figures": [
            ("networks", _("reti"), counts["networks"]),
            ("projects", _("progetti"), counts["projects"]),
            ("organisations", _("organizzazioni"), counts["organisations"]),
        ],
        "latest_networks": Network.objects.order_by("-id")[:5],
        "latest_projects": Project.objects.select_related("period").order_by("-id")[:5],
    }
    return render(request, "portal/home.html", context)


def _admin_change_url(record) -> str:
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:  # kinds edited inline in their network's or project's page
        return ""


@require_safe
def record_history(request, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    history = model.history.filter(id=pk).select_related("history_user")
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    record = model._default_manager.filter(pk=pk).first()
    if record is None and not page.object_list:
        raise Http404
    older = history[page.end_index() : page.end_index() + 1].first()
    context = {
        "kind_name": model._meta.verbose_name,
        # Bulk-loaded records (the national demo) may have no entries yet.
        "record": record or page.object_list[0].instance,
        "deleted": record is None,
        "entries": audit_entries(
            page.object_list, older, show_users=permissions.is_editor(request.user)
        ),
        "page": page,
        "admin_url": (
            _admin_change_url(record)
            if record is not None and permissions.can_edit_record(request.user, record)
            else ""
        ),
    }
    return render(request, "portal/history.html", context)
