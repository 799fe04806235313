"""Territories: the map of Italy shaded by projects and partnerships, and a territory's page."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import cache, lists, tabular
from reti.registry import changes
from reti.registry.models import (
    GoverningRole,
    Network,
    Organisation,
    Partnership,
    Project,
    Territory,
    WorkingGroup,
)
from reti.registry.places import project_place_q
from reti.registry.queries import territory_ids

from .organisations import ORDERING, PAGE_SIZE, in_territories
from .regions import map_paths, region_figures

PROJECTS_CAP = 10
NETWORKS_CAP = 50
# Past this many organisations a territory's projects are found newest first (see below).
MANY = 2000
# Five shades of the portal's blue, light to dark; the darker ones carry white labels.
SHADES = ["#e6eef6", "#b3cde6", "#6a9dcf", "#2f6fb0", "#17466f"]


def _shade(value: int, top: int) -> int:
    if not value or not top:
        return 0
    return min(len(SHADES) - 1, 1 + (len(SHADES) - 1) * (value - 1) // top)


def _legend(top: int) -> list[dict]:
    """The value range of each shade, for the legend."""
    steps = len(SHADES) - 1
    legend = [{"colour": SHADES[0], "shade": 0, "low": 0, "high": 0}]
    for i in range(1, len(SHADES)):
        low = (i - 1) * top // steps + 1
        high = i * top // steps
        if top and low <= high:
            legend.append({"colour": SHADES[i], "shade": i, "low": low, "high": high})
    return legend


REGIONS = tabular.Table(
    "regioni",
    _("Progetti e partenariati per regione"),
    (
        tabular.Column("codice_regione", _("Codice ISTAT della regione"), "code"),
        tabular.Column("regione", _("Regione o Provincia autonoma"), "name"),
        tabular.Column(
            "progetti", _("Progetti"), "projects", type="integer",
            description=_("Un progetto conta una volta per regione anche se vi ha più partner."),
        ),
        tabular.Column("partenariati", _("Partenariati"), "partnerships", type="integer"),
        tabular.Column(
            "pagina", _("Pagina del territorio"),
            lambda row: reverse("portal:territory_detail", args=[row.code]), type="url",
        ),
    ),
    description=_("Le organizzazioni dei comuni e delle province contano per la loro regione."),
)  # fmt: skip


@require_safe
def territory_map(request):
    figures = region_figures()
    if tabular.requested(request):
        return tabular.download(request, REGIONS, figures["rows"])
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
        "downloads": tabular.links(request.path, {}),
    }
    return render(request, "portal/territories/map.html", context)


def _get_territory(code: str) -> Territory:
    try:
        return Territory.objects.select_related("parent").by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        raise Http404 from None


def _project_list_url(code: str) -> str:
    return f"{reverse('portal:project_list')}?{urlencode({'territory': code})}"


def _counts(territory: Territory, organisations) -> dict:
    """Organisations, projects and partnerships in the territory, cached like the map (and
    until an organisation is created, moved or deleted).

    Regions take their figures from the map's. Above regions (Italy, macro-areas) projects
    are not additive and counting them distinctly costs seconds: only partnerships are summed.
    """
    regional = {row.code: row for row in region_figures()["rows"]}

    def compute():
        counts = {"organisations": organisations.count(), "projects": None}
        if territory.code in regional:
            row = regional[territory.code]
            counts.update(projects=row.projects, partnerships=row.partnerships)
        elif territory.level in (Territory.Level.COUNTRY, Territory.Level.MACRO_AREA) and (
            territory.is_italian
        ):
            counts["partnerships"] = sum(row.partnerships for row in regional.values())
            if territory.level == Territory.Level.MACRO_AREA:
                inside = set(territory.children.values_list("code", flat=True))
                inside |= set(
                    Territory.objects.filter(parent__parent=territory).values_list(
                        "code", flat=True
                    )
                )
                counts["partnerships"] = sum(
                    row.partnerships for code, row in regional.items() if code in inside
                )
        else:
            ids = list(organisations.values_list("pk", flat=True)[: MANY + 1])
            if len(ids) > MANY:
                ids = organisations.values("pk")
            partnerships = Partnership.objects.filter(organisation__in=ids)
            counts["partnerships"] = partnerships.count()
            counts["projects"] = partnerships.values("project_id").distinct().count()
        return counts

    return cache.cached(
        (changes.PROJECTS, changes.TERRITORIES), ("territory-counts", territory.pk), compute
    )


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same condition on `prefix`__<field>: one territory lookup serves every relation."""
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def _networks(inside: Q):
    """Networks where an organisation `inside` holds a role or coordinates a working group.

    Roles and groups are a few tens of thousands: scanning them beats probing per network.
    """
    roles = GoverningRole.objects.filter(_prefixed(inside, "organisation"))
    groups = WorkingGroup.objects.filter(_prefixed(inside, "coordinator"))
    return Network.objects.filter(
        Q(pk__in=roles.values("network_id")) | Q(pk__in=groups.values("network_id"))
    )


def _network_list(territory: Territory, inside: Q) -> list[Network]:
    """The first NETWORKS_CAP networks of `territory` by name, and whether there are more.

    Finding them reads every organisation inside a region (tens of thousands at national
    scale): the ids are cached until a network, an organisation, a role, a working group or
    a territory is saved or deleted anywhere.
    """
    ids = cache.cached(
        (changes.NETWORKS, changes.TERRITORIES),
        ("territory-networks", territory.pk),
        lambda: list(
            _networks(inside).order_by("name_it", "id").values_list("pk", flat=True)[:NETWORKS_CAP]
        ),
    )
    found = Network.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _latest_projects(territory, organisations, many: bool) -> list[Project]:
    """The most recent projects `organisations` (those in `territory`) take part in.

    A municipality, province or region reads the projects' places (reti.registry.places).
    Above them, with many organisations, walking projects newest first finds matches at once;
    with few, that walk would cross millions of projects, so their partnerships give the ids.
    """
    projects = Project.objects.select_related("period").order_by("-id")
    placed = project_place_q(territory)
    if placed is not None:
        return list(projects.filter(placed)[:PROJECTS_CAP])
    if many:
        ids = organisations.values("pk")
        partners = Partnership.objects.filter(project_id=OuterRef("pk"), organisation__in=ids)
        return list(projects.filter(Exists(partners))[:PROJECTS_CAP])
    # A literal list: the planner then probes the (organisation, project) index.
    ids = list(organisations.values_list("pk", flat=True))
    latest = (
        Partnership.objects.filter(organisation__in=ids)
        .order_by("-project_id")
        .values_list("project_id", flat=True)
        .distinct()[:PROJECTS_CAP]
    )
    return list(projects.filter(pk__in=list(latest)))


class TerritoryPageForm(lists.FilterForm):
    """A territory's page filters nothing; it pages its organisations."""


@require_safe
@lists.filtered_by(TerritoryPageForm)
def territory_detail(request, filters: TerritoryPageForm, code: str):
    territory = _get_territory(code)
    # The territory and everything inside it as a literal id list (a level a query): unlike
    # the API's filter, the pages below filter organisations directly on their indexed column.
    ids = territory_ids(territory.pk)
    inside = Q(territory_id__among=ids)
    organisations = Organisation.objects.filter(inside).order_by()
    page = lists.keyset(
        in_territories(Organisation.objects.select_related("territory"), ids),
        PAGE_SIZE,
        ORDERING,
        after=filters.after,
        before=filters.before,
    )
    page.links = lists.page_links(request, filters, page)
    counts = _counts(territory, organisations)
    context = {
        "territory": territory,
        "organisations": page.rows,
        "page": page,
        "problems": filters.problems,
        "networks": _network_list(territory, inside),
        "projects": _latest_projects(territory, organisations, counts["organisations"] > MANY),
        "projects_cap": PROJECTS_CAP,
        "project_list_url": _project_list_url(territory.code),
        "organisation_list_url": reverse("portal:organisation_list")
        + "?"
        + urlencode({"territory": territory.code}),
        "counts": counts,
        "children": territory.children.exclude(level=Territory.Level.MUNICIPALITY).order_by("code"),
    }
    return render(request, "portal/territories/detail.html", context)
