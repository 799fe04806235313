from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.lib import cache, lists
from reti.registry import changes, permissions
from reti.registry.models import Network, Organisation, Project, Statement

from .history import KINDS, audit_entries

HISTORY_PAGE_SIZE = 50
# Records from sources (the presentation's eight networks and three projects) come first.
SOURCE_RECORDS_SHOWN = 20
DEMO_RECORDS_SHOWN = 5
# Newest change first (historical rows' primary key is history_id).
HISTORY_ORDER = ("-history_date", "-pk")


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


class HistoryPaging(lists.FilterForm):
    """A record's history filters nothing; it is paged."""


@require_safe
@lists.filtered_by(HistoryPaging)
def record_history(request, filters: HistoryPaging, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    history = model.history.filter(id=pk).select_related("history_user")
    page = lists.keyset(
        history, HISTORY_PAGE_SIZE, HISTORY_ORDER, after=filters.after, before=filters.before
    )
    page.links = lists.page_links(request, filters, page)
    record = model._default_manager.filter(pk=pk).first()
    if record is None and not page.rows:
        raise Http404
    # The entry before the page's last one, to show what that one changed.
    older = None
    if page.rows:
        after = lists.keyset(history, 1, HISTORY_ORDER, after=page.rows[-1].pk, before=None)
        older = after.rows[0] if after.rows else None
    context = {
        "kind_name": model._meta.verbose_name,
        # Bulk-loaded records (the national demo) may have no entries yet.
        "record": record or page.rows[0].instance,
        "deleted": record is None,
        "entries": audit_entries(page.rows, older, show_users=permissions.is_editor(request.user)),
        "page": page,
        # A record's history is short: counted for the caption.
        "count": history.count(),
        "problems": filters.problems,
        "admin_url": (
            _admin_change_url(record)
            if record is not None and permissions.can_edit_record(request.user, record)
            else ""
        ),
    }
    return render(request, "portal/history.html", context)
