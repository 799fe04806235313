"""Projects: the filtered list (keyset pages, fast at millions of rows), its downloads, and a
project's page."""

from django.db.models import Case, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import lists, tabular
from reti.registry import queries
from reti.registry.models import (
    Action,
    Fund,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
    Territory,
    Theme,
)

from .forms import ProjectFilterForm

PAGE_SIZE = 25
LEAD_FIRST = Case(
    When(role=Partnership.Role.LEAD, then=Value(0)),
    When(role=Partnership.Role.PARTNER, then=Value(1)),
    default=Value(2),
)


PROJECTS = tabular.Table(
    "progetti",
    _("Progetti"),
    (
        tabular.Column("id", _("Numero del progetto nel registro"), type="integer"),
        tabular.Column("titolo", _("Titolo"), "title_it"),
        tabular.Column("titolo_en", _("Titolo in inglese"), "title_en"),
        tabular.Column("sigla", _("Sigla"), "acronym"),
        tabular.Column("tipo", _("Tipo"), lambda p: p.get_kind_display()),
        tabular.Column("stato", _("Stato"), lambda p: p.get_status_display()),
        tabular.Column("periodo", _("Periodo di programmazione"), "period.code"),
        tabular.Column("fondo", _("Fondo"), "fund.code"),
        tabular.Column(
            "partner_dichiarati", _("Partner dichiarati"), "declared_partner_count",
            type="integer", description=_("Quanti partner la fonte dichiara, noti o no per nome"),
        ),
        tabular.Column("fonte", _("Fonte"), "source_label"),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
        tabular.Column(
            "pagina", _("Pagina sul portale"),
            lambda p: reverse("portal:project_detail", args=[p.pk]), type="url",
        ),
    ),
    description=_("I progetti del registro che corrispondono ai filtri della lista."),
)  # fmt: skip


@require_safe
@lists.filtered_by(ProjectFilterForm)
def project_list(request, filters: ProjectFilterForm):
    queryset = filters.filter(
        Project.objects.select_related("period", "fund"), queries.filter_projects
    )
    context = {
        "periods": ProgrammingPeriod.objects.all(),
        "funds": Fund.objects.all(),
        "themes": Theme.objects.all(),
        "regions": Territory.objects.filter(
            level__in=[Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE]
        ).order_by("name_it"),
        "statuses": Project.Status.choices,
        "kinds": Project.Kind.choices,
    }
    # Newest first; a download holds every filtered project in that order, not only a page.
    return lists.respond(
        request,
        filters,
        queryset,
        PROJECTS,
        "portal/projects/list.html",
        context,
        ordering=("-pk",),
        size=PAGE_SIZE,
        records=lambda: queryset.select_related("source").order_by("-id").iterator(chunk_size=2000),
    )


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
        "known_regions": sum(
            p.organisation.kind == Organisation.Kind.REGION for p in project.partners
        ),
        "action_levels": _actions_by_level(project),
    }
    return render(request, "portal/projects/detail.html", context)
