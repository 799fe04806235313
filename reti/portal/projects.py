"""Projects: the filtered list (keyset pages, fast at millions of rows), its downloads, and a
project's page."""

from django.db.models import Case, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from reti.registry import queries
from reti.registry.models import (
    Action,
    Fund,
    Partnership,
    ProgrammingPeriod,
    Project,
    Territory,
    Theme,
)

from . import registry_exports as exports
from .forms import ProjectFilterForm
from .registry_listing import apply_filters, keyset_page

PAGE_SIZE = 25
CSV_HEADERS = [
    "id",
    "titolo",
    "titolo (inglese)",
    "sigla",
    "tipo",
    "stato",
    "periodo",
    "fondo",
    "partner dichiarati",
    "fonte",
    "dato sintetico",
    "pagina",
]
LEAD_FIRST = Case(
    When(role=Partnership.Role.LEAD, then=Value(0)),
    When(role=Partnership.Role.PARTNER, then=Value(1)),
    default=Value(2),
)


def _filtered(request):
    queryset = Project.objects.select_related("period", "fund")
    return apply_filters(request.GET, queryset, ProjectFilterForm, queries.filter_projects)


def _download_url(fmt: str, filtered) -> str:
    return f"{reverse('portal:project_download', args=[fmt])}?{filtered.query()}"


@require_safe
def project_list(request):
    filtered = _filtered(request)
    page = keyset_page(filtered.queryset, request.GET, PAGE_SIZE)
    context = {
        "filtered": filtered,
        "page": page,
        "next_query": filtered.query(after=page.next_after) if page.next_after else "",
        "previous_query": (
            filtered.query(before=page.previous_before) if page.previous_before else ""
        ),
        "csv_url": _download_url("csv", filtered),
        "json_url": _download_url("json", filtered),
        "periods": ProgrammingPeriod.objects.all(),
        "funds": Fund.objects.all(),
        "themes": Theme.objects.all(),
        "regions": Territory.objects.filter(
            level__in=[Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE]
        ).order_by("name_it"),
        "statuses": Project.Status.choices,
        "kinds": Project.Kind.choices,
    }
    return render(request, "portal/projects/list.html", context)


def _row(request):
    def row(project: Project) -> dict:
        return {
            "id": project.pk,
            "titolo": project.title_it,
            "titolo (inglese)": project.title_en,
            "sigla": project.acronym,
            "tipo": str(project.get_kind_display()),
            "stato": str(project.get_status_display()),
            "periodo": project.period.code,
            "fondo": project.fund.code if project.fund else "",
            "partner dichiarati": project.declared_partner_count,
            "fonte": project.source_label,
            "dato sintetico": "sì" if project.synthetic else "no",
            "pagina": request.build_absolute_uri(
                reverse("portal:project_detail", args=[project.pk])
            ),
        }

    return row


@require_safe
def project_download(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    filtered = _filtered(request)
    # Same order as the list: newest first.
    filtered.queryset = filtered.queryset.select_related("source").order_by("-id")
    return exports.download(filtered, fmt, "progetti", CSV_HEADERS, _row(request))


def _load_project(pk: int) -> Project:
    """A project with everything its page shows, in a fixed number of queries."""
    partners = Partnership.objects.select_related("organisation", "source").order_by(
        LEAD_FIRST, "pk"
    )
    queryset = Project.objects.select_related("period", "fund", "source").prefetch_related(
        "themes",
        "networks",
        Prefetch("partnerships", partners, to_attr="partners"),
        Prefetch("actions", Action.objects.select_related("source")),
    )
    project = queryset.filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def _actions_by_level(project: Project) -> list[tuple[str, list[Action]]]:
    actions = list(project.actions.all())
    return [
        (label, [a for a in actions if a.level == level])
        for level, label in Action.Level.choices
        if any(a.level == level for a in actions)
    ]


@require_safe
def project_detail(request, pk: int):
    project = _load_project(pk)
    context = {
        "project": project,
        "known_partners": len(project.partners),
        "action_levels": _actions_by_level(project),
    }
    return render(request, "portal/projects/detail.html", context)
