"""Territories: the map of Italy shaded by projects and partnerships, and a territory's page."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from reti.registry.api.filters import territory_q
from reti.registry.models import (
    GoverningRole,
    Network,
    Organisation,
    Partnership,
    Project,
    Territory,
    WorkingGroup,
)

from .organisations import CURSOR, _page
from .regions import FIGURES_TTL, map_paths, region_figures

PROJECTS_CAP = 10
NETWORKS_CAP = 50
# Five shades of the portal's blue, light to dark; the darker ones carry white labels.
SHADES = ["#e6eef6", "#b3cde6", "#6a9dcf", "#2f6fb0", "#17466f"]


def _shade(value: int, top: int) -> int:
    if not value or not top:
        return 0
    return min(len(SHADES) - 1, 1 + (len(SHADES) - 1) * (value - 1) // top)


def _legend(top: int) -> list[dict]:
    """The value range of each shade, for the legend."""
    steps = len(SHADES) - 1
    legend = [{"colour": SHADES[0], "low": 0, "high": 0}]
    for i in range(1, len(SHADES)):
        low = (i - 1) * top // steps + 1
        high = i * top // steps
        if top and low <= high:
            legend.append({"colour": SHADES[i], "low": low, "high": high})
    return legend


@require_safe
def territory_map(request):
    figures = region_figures()
    paths = map_paths()
    rows = figures["rows"]
    top = max((row.projects for row in rows), default=0)
    shapes = [
        {
            "row": row,
            "d": paths["paths"][row.code],
            "fill": SHADES[_shade(row.projects, top)],
            "url": reverse("portal:territory_detail", args=[row.code]),
        }
        for row in rows
        if row.on_map and row.code in paths["paths"]
    ]
    context = {
        "rows": rows,
        "shapes": shapes,
        "view_box": paths["viewBox"],
        "legend": _legend(top),
        "computed_at": figures["computed_at"],
        "ttl_minutes": FIGURES_TTL // 60,
    }
    return render(request, "portal/territories/map.html", context)


def _get_territory(code: str) -> Territory:
    try:
        return Territory.objects.select_related("parent").by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        raise Http404 from None


def _project_list_url(code: str) -> str:
    # The project list is another page of the portal; until it exists, no link.
    try:
        return f"{reverse('portal:project_list')}?{urlencode({'region': code})}"
    except NoReverseMatch:
        return ""


def _counts(territory: Territory, organisations) -> dict:
    """Organisations, projects and partnerships in the territory, cached like the map."""

    def compute():
        partnerships = Partnership.objects.filter(organisation__in=organisations.values("pk"))
        return {
            "organisations": organisations.count(),
            "projects": Project.objects.filter(pk__in=partnerships.values("project_id")).count(),
            "partnerships": partnerships.count(),
        }

    return cache.get_or_set(f"portal:territory-counts:{territory.pk}", compute, FIGURES_TTL)


def _networks(organisations):
    """Networks where one of `organisations` holds a role or coordinates a working group."""
    ids = organisations.values("pk")
    roles = GoverningRole.objects.filter(network_id=OuterRef("pk"), organisation__in=ids)
    groups = WorkingGroup.objects.filter(network_id=OuterRef("pk"), coordinator__in=ids)
    return Network.objects.filter(Exists(roles) | Exists(groups))


def _projects(organisations):
    partners = Partnership.objects.filter(
        project_id=OuterRef("pk"), organisation__in=organisations.values("pk")
    )
    return Project.objects.filter(Exists(partners))


@require_safe
def territory_detail(request, code: str):
    territory = _get_territory(code)
    # The territory and everything inside it, listed once for all the queries below.
    organisations = Organisation.objects.filter(territory_q(territory.code)).order_by()
    after = request.GET.get(CURSOR, "")
    rows, has_next = _page(organisations.select_related("territory"), after)
    base = reverse("portal:territory_detail", args=[territory.code])
    networks = _networks(organisations)
    projects = _projects(organisations).select_related("period")
    context = {
        "territory": territory,
        "organisations": rows,
        "next_url": f"{base}?{urlencode({CURSOR: rows[-1].pk})}" if has_next else "",
        "first_url": base if after else "",
        "networks": list(networks.order_by("name_it", "id")[:NETWORKS_CAP]),
        "projects": list(projects.order_by("-id")[:PROJECTS_CAP]),
        "projects_cap": PROJECTS_CAP,
        "project_list_url": _project_list_url(territory.code),
        "organisation_list_url": reverse("portal:organisation_list")
        + "?"
        + urlencode({"region": territory.code}),
        "counts": _counts(territory, organisations),
        "children": territory.children.exclude(level=Territory.Level.MUNICIPALITY).order_by("code"),
    }
    return render(request, "portal/territories/detail.html", context)
