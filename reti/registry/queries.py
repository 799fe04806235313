"""The registry's domain queries: lists filtered by codes, ids and text, and territory trees.

The API's lists and the portal's pages call the same functions with plain values. A code or
id that names no record (a theme, a territory, a period, a fund, a network, an organisation)
raises Django's ValidationError keyed by the parameter, `{"theme": ["Unknown theme: x"]}`:
the API answers it 400 naming the parameter, a page shows it among what it did not
understand. The codes are looked up once per call; the filters then become indexed
conditions or EXISTS subqueries, so rows are never duplicated and the keyset order holds.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from reti.lib import cache

from . import changes
from .models import (
    Fund,
    GoverningRole,
    Network,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
    Territory,
    Theme,
    WorkingGroup,
)
from .places import project_place_q

# Territories nest country > macro-area > region > province > municipality.
MAX_DEPTH = 5
# Below these levels a territory holds at most a few hundred others: list them all.
SMALL_TERRITORIES = {
    Territory.Level.PROVINCE,
    Territory.Level.AUTONOMOUS_PROVINCE,
    Territory.Level.MUNICIPALITY,
}


def unknown(param: str, message: str) -> ValidationError:
    """The error for a value of `param` that names no record."""
    return ValidationError({param: message})


def descendants(queryset, root_id: int) -> list[int]:
    """The ids of a node and of every node under it in `queryset`, one query a level.

    A literal list, not a subquery: the planner estimates a short list well, and a
    recursive subquery badly enough to pick plans a hundred times slower at national scale.
    """
    ids, frontier = [root_id], [root_id]
    for _ in range(MAX_DEPTH):
        frontier = list(queryset.filter(parent_id__among=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


def territory_ids(root_id: int) -> list[int]:
    """`descendants` of a territory, cached until the territories change.

    A region is some 300 territories, found in four queries; territories change only when
    `reti load-territories` corrects them or someone edits one in the back office.
    """
    return cache.cached(
        changes.TERRITORIES,
        ("territory-ids", root_id),
        lambda: descendants(Territory.objects, root_id),
    )


def territory_by_code(code: str, param: str = "territory") -> Territory:
    try:
        return Territory.objects.by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        raise unknown(param, f"Unknown territory code: {code}") from None


def territory_q(code: str, path: str = "territory", param: str = "territory") -> Q:
    """A condition on `path` (a territory foreign key): in this territory or inside it."""
    territory = territory_by_code(code, param)
    if territory.level in SMALL_TERRITORIES:
        return Q(**{f"{path}_id__among": territory_ids(territory.pk)})
    # Above provinces, list the territories down to the provinces and reach the municipalities
    # through their parent: listing Italy's 8,000 municipalities costs more than the query.
    upper, frontier = [territory.pk], [territory.pk]
    for _ in range(MAX_DEPTH):
        children = Territory.objects.filter(parent_id__in=frontier).exclude(
            level=Territory.Level.MUNICIPALITY
        )
        levels = list(children.values_list("pk", "level"))
        upper += [pk for pk, _ in levels]
        frontier = [pk for pk, level in levels if level not in SMALL_TERRITORIES]
        if not frontier:
            break
    return Q(**{f"{path}_id__in": upper}) | Q(**{f"{path}__parent_id__in": upper})


def theme_ids(code: str, param: str = "theme") -> list[int]:
    """The theme with this code and its sub-themes."""
    theme = Theme.objects.filter(code=code).values_list("pk", flat=True).first()
    if theme is None:
        raise unknown(param, f"Unknown theme: {code}")
    return descendants(Theme.objects, theme)


def period_id(code: str, param: str = "period") -> int:
    period = ProgrammingPeriod.objects.filter(code=code).values_list("pk", flat=True).first()
    if period is None:
        raise unknown(param, f"Unknown programming period: {code}")
    return period


def network_id(value: str, param: str = "network") -> int:
    """A network by id or slug."""
    lookup = {"pk": int(value)} if value.isdigit() else {"slug": value}
    found = Network.objects.filter(**lookup).values_list("pk", flat=True).first()
    if found is None:
        raise unknown(param, f"Unknown network: {value}")
    return found


def organisation_id(value: int, param: str = "organisation") -> int:
    if not Organisation.objects.filter(pk=value).exists():
        raise unknown(param, f"Unknown organisation: {value}")
    return value


def _text(fields: list[str], q: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return condition


def filter_networks(
    queryset,
    *,
    period: str | None = None,
    theme: str | None = None,
    territory: str | None = None,
    organisation: int | None = None,
    role: str | None = None,
    status: str | None = None,
    scope: str | None = None,
    q: str | None = None,
    synthetic: bool | None = None,
):
    """Networks in a period, on a theme (sub-themes included), with a role held by an
    organisation (or one located in a territory), by status, scope, text or synthetic flag."""
    if period:
        through = Network.periods.through.objects
        queryset = queryset.filter(
            Exists(
                through.filter(network_id=OuterRef("pk"), programmingperiod_id=period_id(period))
            )
        )
    if theme:
        through = Network.themes.through.objects
        queryset = queryset.filter(
            Exists(through.filter(network_id=OuterRef("pk"), theme_id__in=theme_ids(theme)))
        )
    roles = GoverningRole.objects.filter(network_id=OuterRef("pk"))
    if territory or organisation or role:
        if territory:
            roles = roles.filter(territory_q(territory, "organisation__territory"))
        if organisation:
            roles = roles.filter(organisation_id=organisation_id(organisation))
        if role:
            roles = roles.filter(role=role)
        queryset = queryset.filter(Exists(roles))
    if status:
        queryset = queryset.filter(status=status)
    if scope:
        queryset = queryset.filter(scope=scope)
    if q:
        queryset = queryset.filter(_text(["name_it", "name_en", "acronym"], q))
    if synthetic is not None:
        queryset = queryset.filter(synthetic=synthetic)
    return queryset


def filter_projects(
    queryset,
    *,
    period: str | None = None,
    theme: str | None = None,
    territory: str | None = None,
    organisation: int | None = None,
    role: str | None = None,
    network: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    fund: str | None = None,
    q: str | None = None,
    synthetic: bool | None = None,
):
    """Projects by period, theme, partner territory, organisation or role, linked network,
    status, kind, fund, text or synthetic flag."""
    if period:
        queryset = queryset.filter(period_id=period_id(period))
    if theme:
        through = Project.themes.through.objects
        queryset = queryset.filter(
            Exists(through.filter(project_id=OuterRef("pk"), theme_id__in=theme_ids(theme)))
        )
    places = None
    if territory and not (organisation or role):
        places = project_place_q(territory_by_code(territory))
        if places is not None:
            queryset = queryset.filter(places)
    if (territory and places is None) or organisation or role:
        partners = Partnership.objects.filter(project_id=OuterRef("pk"))
        if territory:
            partners = partners.filter(territory_q(territory, "organisation__territory"))
        if organisation:
            partners = partners.filter(organisation_id=organisation_id(organisation))
        if role:
            partners = partners.filter(role=role)
        queryset = queryset.filter(Exists(partners))
    if network:
        through = Project.networks.through.objects
        queryset = queryset.filter(
            Exists(through.filter(project_id=OuterRef("pk"), network_id=network_id(network)))
        )
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if fund:
        fund_pk = Fund.objects.filter(code=fund).values_list("pk", flat=True).first()
        if fund_pk is None:
            raise unknown("fund", f"Unknown fund: {fund}")
        queryset = queryset.filter(fund_id=fund_pk)
    if q:
        queryset = queryset.filter(_text(["title_it", "title_en", "acronym"], q))
    if synthetic is not None:
        queryset = queryset.filter(synthetic=synthetic)
    return queryset


def filter_organisations(
    queryset,
    *,
    territory: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    role: str | None = None,
    network: str | None = None,
    parent: int | None = None,
    q: str | None = None,
    synthetic: bool | None = None,
):
    """Organisations in a territory (or inside it), by kind, status, role in a network,
    parent, text or synthetic flag."""
    if territory:
        queryset = queryset.filter(territory_q(territory))
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if role or network:
        roles = GoverningRole.objects.filter(organisation_id=OuterRef("pk"))
        if role:
            roles = roles.filter(role=role)
        if network:
            roles = roles.filter(network_id=network_id(network))
        queryset = queryset.filter(Exists(roles))
    if parent:
        queryset = queryset.filter(parent_id=organisation_id(parent, "parent"))
    if q:
        queryset = queryset.filter(_text(["name_it", "name_en", "acronym"], q))
    if synthetic is not None:
        queryset = queryset.filter(synthetic=synthetic)
    return queryset


def filter_territories(
    queryset,
    *,
    level: str | None = None,
    parent: str | None = None,
    q: str | None = None,
):
    """Territories by level, direct parent (a code) or text in their names."""
    if level:
        queryset = queryset.filter(level=level)
    if parent:
        try:
            found = Territory.objects.by_code(parent)
        except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
            raise unknown("parent", f"Unknown territory code: {parent}") from None
        queryset = queryset.filter(parent=found)
    if q:
        queryset = queryset.filter(_text(["name_it", "name_en"], q))
    return queryset


def filter_working_groups(
    queryset,
    *,
    network: str | None = None,
    year: int | None = None,
    theme: str | None = None,
    coordinator: int | None = None,
    territory: str | None = None,
    q: str | None = None,
    synthetic: bool | None = None,
):
    """Working groups by network, programme year, theme, coordinator (or its territory),
    text or synthetic flag."""
    if network:
        queryset = queryset.filter(network_id=network_id(network))
    if year:
        queryset = queryset.filter(programme_year=year)
    if theme:
        through = WorkingGroup.themes.through.objects
        queryset = queryset.filter(
            Exists(through.filter(workinggroup_id=OuterRef("pk"), theme_id__in=theme_ids(theme)))
        )
    if coordinator:
        queryset = queryset.filter(coordinator_id=organisation_id(coordinator, "coordinator"))
    if territory:
        queryset = queryset.filter(territory_q(territory, "coordinator__territory"))
    if q:
        queryset = queryset.filter(_text(["title_it", "title_en"], q))
    if synthetic is not None:
        queryset = queryset.filter(synthetic=synthetic)
    return queryset
