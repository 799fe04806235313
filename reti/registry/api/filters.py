"""List filters: every value is checked, and an unknown one is a 400 naming the parameter.

Codes (period, theme, territory, fund) are looked up once per request; the filters then become
indexed conditions or EXISTS subqueries, so rows are never duplicated and the keyset order holds.
"""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from ninja import Field, Schema

from reti.lib.api.errors import BadRequest
from reti.lib.api.schemas import choice

from .. import changes
from ..models import (
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
from ..places import project_place_q

# Territories nest country > macro-area > region > province > municipality.
MAX_DEPTH = 5
TERRITORY_IDS_TTL = 24 * 3600
# Below these levels a territory holds at most a few hundred others: list them all.
SMALL_TERRITORIES = {
    Territory.Level.PROVINCE,
    Territory.Level.AUTONOMOUS_PROVINCE,
    Territory.Level.MUNICIPALITY,
}


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


def territory_ids(root_id: int, generation: str | None = None) -> list[int]:
    """`descendants` of a territory, cached until the registry's generation changes (pass it
    when the caller has read it already: reading it is a query).

    A region is some 300 territories, found in four queries; territories change only when
    `reti load-territories` corrects them or someone edits one in the back office.
    """
    key = f"registry:territory-ids:{generation or changes.generation()}:{root_id}"
    ids = cache.get(key)
    if ids is None:
        ids = descendants(Territory.objects, root_id)
        cache.set(key, ids, TERRITORY_IDS_TTL)
    return ids


def territory_by_code(code: str, param: str = "territory") -> Territory:
    try:
        return Territory.objects.by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        raise BadRequest(param, f"Unknown territory code: {code}") from None


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
        raise BadRequest(param, f"Unknown theme: {code}")
    return descendants(Theme.objects, theme)


def period_id(code: str, param: str = "period") -> int:
    period = ProgrammingPeriod.objects.filter(code=code).values_list("pk", flat=True).first()
    if period is None:
        raise BadRequest(param, f"Unknown programming period: {code}")
    return period


def network_id(value: str, param: str = "network") -> int:
    """A network by id or slug."""
    lookup = {"pk": int(value)} if value.isdigit() else {"slug": value}
    found = Network.objects.filter(**lookup).values_list("pk", flat=True).first()
    if found is None:
        raise BadRequest(param, f"Unknown network: {value}")
    return found


def organisation_id(value: int, param: str = "organisation") -> int:
    if not Organisation.objects.filter(pk=value).exists():
        raise BadRequest(param, f"Unknown organisation: {value}")
    return value


def _text(fields: list[str], q: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return condition


TEXT = Field(None, min_length=2, max_length=100, description="Text in names, titles, acronyms.")
SYNTHETIC = Field(None, description="true: only synthetic demo data; false: only real records.")


class NetworkFilters(Schema):
    period: str | None = Field(None, description="Programming period, e.g. 2007-2013.")
    theme: str | None = Field(None, description="Theme code; sub-themes included.")
    territory: str | None = Field(
        None, description="ISTAT, NUTS or ISO code: networks with a member located there."
    )
    organisation: int | None = Field(None, description="Networks where it holds a role.")
    role: choice(GoverningRole.Role) | None = Field(
        None, description="With territory or organisation: only this role."
    )
    status: choice(Network.Status) | None = None
    scope: choice(Network.Scope) | None = None
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


def filter_networks(queryset, f: NetworkFilters):
    if f.period:
        through = Network.periods.through.objects
        queryset = queryset.filter(
            Exists(
                through.filter(network_id=OuterRef("pk"), programmingperiod_id=period_id(f.period))
            )
        )
    if f.theme:
        through = Network.themes.through.objects
        queryset = queryset.filter(
            Exists(through.filter(network_id=OuterRef("pk"), theme_id__in=theme_ids(f.theme)))
        )
    roles = GoverningRole.objects.filter(network_id=OuterRef("pk"))
    if f.territory or f.organisation or f.role:
        if f.territory:
            roles = roles.filter(territory_q(f.territory, "organisation__territory"))
        if f.organisation:
            roles = roles.filter(organisation_id=organisation_id(f.organisation))
        if f.role:
            roles = roles.filter(role=f.role)
        queryset = queryset.filter(Exists(roles))
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.scope:
        queryset = queryset.filter(scope=f.scope)
    if f.q:
        queryset = queryset.filter(_text(["name_it", "name_en", "acronym"], f.q))
    if f.synthetic is not None:
        queryset = queryset.filter(synthetic=f.synthetic)
    return queryset


class ProjectFilters(Schema):
    period: str | None = Field(None, description="Programming period, e.g. 2007-2013.")
    theme: str | None = Field(None, description="Theme code; sub-themes included.")
    territory: str | None = Field(
        None, description="ISTAT, NUTS or ISO code: projects with a partner located there."
    )
    organisation: int | None = Field(None, description="Projects it takes part in.")
    role: choice(Partnership.Role) | None = Field(
        None, description="Partner role, alone or with territory or organisation."
    )
    network: str | None = Field(None, description="Linked network, by id or slug.")
    status: choice(Project.Status) | None = None
    kind: choice(Project.Kind) | None = None
    fund: str | None = Field(None, description="Fund code, e.g. FSE.")
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


def filter_projects(queryset, f: ProjectFilters):
    if f.period:
        queryset = queryset.filter(period_id=period_id(f.period))
    if f.theme:
        through = Project.themes.through.objects
        queryset = queryset.filter(
            Exists(through.filter(project_id=OuterRef("pk"), theme_id__in=theme_ids(f.theme)))
        )
    places = None
    if f.territory and not (f.organisation or f.role):
        places = project_place_q(territory_by_code(f.territory))
        if places is not None:
            queryset = queryset.filter(places)
    if (f.territory and places is None) or f.organisation or f.role:
        partners = Partnership.objects.filter(project_id=OuterRef("pk"))
        if f.territory:
            partners = partners.filter(territory_q(f.territory, "organisation__territory"))
        if f.organisation:
            partners = partners.filter(organisation_id=organisation_id(f.organisation))
        if f.role:
            partners = partners.filter(role=f.role)
        queryset = queryset.filter(Exists(partners))
    if f.network:
        through = Project.networks.through.objects
        queryset = queryset.filter(
            Exists(through.filter(project_id=OuterRef("pk"), network_id=network_id(f.network)))
        )
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.fund:
        fund = Fund.objects.filter(code=f.fund).values_list("pk", flat=True).first()
        if fund is None:
            raise BadRequest("fund", f"Unknown fund: {f.fund}")
        queryset = queryset.filter(fund_id=fund)
    if f.q:
        queryset = queryset.filter(_text(["title_it", "title_en", "acronym"], f.q))
    if f.synthetic is not None:
        queryset = queryset.filter(synthetic=f.synthetic)
    return queryset


class OrganisationFilters(Schema):
    territory: str | None = Field(
        None, description="ISTAT, NUTS or ISO code; territories inside it included."
    )
    kind: choice(Organisation.Kind) | None = None
    status: choice(Organisation.Status) | None = None
    role: choice(GoverningRole.Role) | None = Field(
        None, description="Organisations holding this role in a network (any time)."
    )
    network: str | None = Field(None, description="Organisations with a role in it (id or slug).")
    parent: int | None = Field(None, description="Units of this organisation.")
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


def filter_organisations(queryset, f: OrganisationFilters):
    if f.territory:
        queryset = queryset.filter(territory_q(f.territory))
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.role or f.network:
        roles = GoverningRole.objects.filter(organisation_id=OuterRef("pk"))
        if f.role:
            roles = roles.filter(role=f.role)
        if f.network:
            roles = roles.filter(network_id=network_id(f.network))
        queryset = queryset.filter(Exists(roles))
    if f.parent:
        queryset = queryset.filter(parent_id=organisation_id(f.parent, "parent"))
    if f.q:
        queryset = queryset.filter(_text(["name_it", "name_en", "acronym"], f.q))
    if f.synthetic is not None:
        queryset = queryset.filter(synthetic=f.synthetic)
    return queryset


class TerritoryFilters(Schema):
    level: choice(Territory.Level) | None = None
    parent: str | None = Field(None, description="Direct subdivisions of this territory (code).")
    q: str | None = TEXT


def filter_territories(queryset, f: TerritoryFilters):
    if f.level:
        queryset = queryset.filter(level=f.level)
    if f.parent:
        try:
            parent = Territory.objects.by_code(f.parent)
        except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
            raise BadRequest("parent", f"Unknown territory code: {f.parent}") from None
        queryset = queryset.filter(parent=parent)
    if f.q:
        queryset = queryset.filter(_text(["name_it", "name_en"], f.q))
    return queryset


class WorkingGroupFilters(Schema):
    network: str | None = Field(None, description="Network id or slug.")
    year: int | None = Field(None, ge=1990, le=2100, description="Programme year.")
    theme: str | None = Field(None, description="Theme code; sub-themes included.")
    coordinator: int | None = Field(None, description="Coordinating organisation id.")
    territory: str | None = Field(None, description="Coordinator located in this territory.")
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


def filter_working_groups(queryset, f: WorkingGroupFilters):
    if f.network:
        queryset = queryset.filter(network_id=network_id(f.network))
    if f.year:
        queryset = queryset.filter(programme_year=f.year)
    if f.theme:
        through = WorkingGroup.themes.through.objects
        queryset = queryset.filter(
            Exists(through.filter(workinggroup_id=OuterRef("pk"), theme_id__in=theme_ids(f.theme)))
        )
    if f.coordinator:
        queryset = queryset.filter(coordinator_id=organisation_id(f.coordinator, "coordinator"))
    if f.territory:
        queryset = queryset.filter(territory_q(f.territory, "coordinator__territory"))
    if f.q:
        queryset = queryset.filter(_text(["title_it", "title_en"], f.q))
    if f.synthetic is not None:
        queryset = queryset.filter(synthetic=f.synthetic)
    return queryset
