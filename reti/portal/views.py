from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.registry import permissions
from reti.registry.models import Network, Organisation, Project, Statement

from .history import KINDS, audit_entries

HISTORY_PAGE_SIZE = 50
# Records from sources (the presentation's eight networks and three projects) come first.
SOURCE_RECORDS_SHOWN = 20
DEMO_RECORDS_SHOWN = 5
# Counting millions of projects on every visit is waste: a minute-old figure is fine.
COUNTS_TTL = 60


def _registry_counts() -> dict[str, int]:
    return {
        "networks": Network.objects.count(),
        "projects": Project.objects.count(),
        "organisations": Organisation.objects.count(),
    }


@require_safe
def home(request):
    counts = cache.get_or_set("portal:registry-counts", _registry_counts, COUNTS_TTL)
    context = {
        "figures": [
            ("networks", _("reti"), counts["networks"]),
            ("projects", _("progetti"), counts["projects"]),
            ("organisations", _("organizzazioni"), counts["organisations"]),
        ],
        "statements": Statement.objects.filter(synthetic=False).select_related(
            "since_period", "source"
        ),
        "source_networks": Network.objects.filter(synthetic=False)
        .select_related("source")
        .order_by("name_it", "id")[:SOURCE_RECORDS_SHOWN],
        "source_projects": Project.objects.filter(synthetic=False)
        .select_related("period", "source")
        .order_by("id")[:SOURCE_RECORDS_SHOWN],
        "demo_networks": Network.objects.filter(synthetic=True).order_by("-id")[
            :DEMO_RECORDS_SHOWN
        ],
        "demo_projects": Project.objects.filter(synthetic=True)
        .select_related("period")
        .order_by("-id")[:DEMO_RECORDS_SHOWN],
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
