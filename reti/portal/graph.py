"""The network of networks: networks, projects and organisations and how they are tied.

The graph is bounded whatever the size of the registry. Every real record that passes the
filters is drawn (up to `REAL_LIMIT` of each kind); synthetic demo data add at most
`SYNTHETIC_LIMITS` nodes: the networks with most roles and links, the projects linked to
them, and the organisations with most ties among those. A graph that leaves records out says
so (`truncated`), and the page links to the full lists.

Edges: links between networks (with their kind), roles in networks (member, secretariat,
presidency...), partnerships in projects (lead, partner...), and projects linked to networks.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from reti.registry.models import (
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
)

REAL_LIMIT = 200
SYNTHETIC_LIMITS = {"network": 100, "organisation": 120, "project": 80}

# A node's page (other parts of the portal), else its history page: (URL name, key field).
NODE_PAGES = {
    "network": ("portal:network_detail", "slug"),
    "project": ("portal:project_detail", "pk"),
    "organisation": ("portal:organisation_detail", "pk"),
}
_PLACEHOLDER = {"slug": "graph-node-slug", "pk": 987654321}


@dataclass(frozen=True)
class GraphFilters:
    """Filters already checked against the registry: a period and a theme subtree."""

    period: ProgrammingPeriod | None = None
    theme_ids: tuple[int, ...] = ()

    @property
    def period_bounds(self) -> tuple[date, date] | None:
        if self.period is None:
            return None
        return date(self.period.start_year, 1, 1), date(self.period.end_year, 12, 31)


@dataclass
class Graph:
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    truncated: bool = False

    def as_json(self) -> dict:
        return {"nodes": self.nodes, "edges": self.edges, "truncated": self.truncated}


class _PageUrls:
    """Node URLs from one `reverse` per kind (a graph has hundreds of nodes), and kind names."""

    def __init__(self):
        self.kind_labels = {
            "network": _("Rete"),
            "project": _("Progetto"),
            "organisation": _("Organizzazione"),
        }
        self.patterns = {
            kind: (reverse(name, kwargs={key: _PLACEHOLDER[key]}), key)
            for kind, (name, key) in NODE_PAGES.items()
        }

    def url(self, kind: str, record) -> str:
        template, key = self.patterns[kind]
        return template.replace(str(_PLACEHOLDER[key]), str(getattr(record, key)))


def _filtered_networks(filters: GraphFilters):
    networks = Network.objects.all()
    if filters.period:
        through = Network.periods.through.objects
        networks = networks.filter(
            Exists(
                through.filter(network_id=OuterRef("pk"), programmingperiod_id=filters.period.pk)
            )
        )
    if filters.theme_ids:
        through = Network.themes.through.objects
        networks = networks.filter(
            Exists(through.filter(network_id=OuterRef("pk"), theme_id__in=filters.theme_ids))
        )
    return networks.only("id", "slug", "name_it", "name_en", "acronym", "synthetic")


def _filtered_projects(filters: GraphFilters):
    projects = Project.objects.all()
    if filters.period:
        projects = projects.filter(period_id=filters.period.pk)
    if filters.theme_ids:
        through = Project.themes.through.objects
        projects = projects.filter(
            Exists(through.filter(project_id=OuterRef("pk"), theme_id__in=filters.theme_ids))
        )
    return projects.only("id", "title_it", "title_en", "acronym", "synthetic")


def _during(filters: GraphFilters) -> Q:
    """Roles whose term overlaps the period; undated roles always count."""
    bounds = filters.period_bounds
    if bounds is None:
        return Q()
    start, end = bounds
    return (Q(start_date__isnull=True) | Q(start_date__lte=end)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


# Filters on `synthetic` are written `__in=[...]`: SQLite uses the column's index for
# `synthetic IN (0)` but scans two million projects for Django's `NOT synthetic`.


def _limited(queryset, limit: int) -> tuple[list, bool]:
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def _count(model, field: str):
    """How many `model` rows point at the outer network through `field`: a correlated
    count on an indexed foreign key, cheaper than joining three tables and de-duplicating."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(count=Count("*")).values("count")), 0)


def _pick_networks(filters: GraphFilters) -> tuple[list[Network], bool]:
    networks = _filtered_networks(filters)
    real, real_cut = _limited(
        networks.filter(synthetic__in=[False]).order_by("name_it", "id"), REAL_LIMIT
    )
    # The most connected synthetic networks: roles plus links either way.
    connected = networks.filter(synthetic__in=[True]).annotate(
        degree=_count(GoverningRole, "network_id")
        + _count(NetworkLink, "from_network_id")
        + _count(NetworkLink, "to_network_id")
    )
    synthetic, synthetic_cut = _limited(
        connected.order_by(F("degree").desc(), "id"), SYNTHETIC_LIMITS["network"]
    )
    return real + synthetic, real_cut or synthetic_cut


def _pick_projects(filters: GraphFilters, network_ids: list[int]) -> tuple[list[Project], bool]:
    projects = _filtered_projects(filters)
    real, real_cut = _limited(projects.filter(synthetic__in=[False]).order_by("-id"), REAL_LIMIT)
    # Synthetic projects only through the networks drawn, the latest first: ranking millions
    # of projects by partners is not affordable per request.
    limit = SYNTHETIC_LIMITS["project"]
    through = Project.networks.through.objects.filter(network_id__in=network_ids)
    candidates = list(
        through.order_by("-project_id").values_list("project_id", flat=True)[: limit * 10]
    )
    linked = projects.filter(pk__in=candidates, synthetic__in=[True]).order_by("-id")
    synthetic, synthetic_cut = _limited(linked, limit)
    if not synthetic_cut:
        # Projects linked to no drawn network are left out too: say so when there are some.
        drawn = [p.pk for p in synthetic]
        synthetic_cut = projects.filter(synthetic__in=[True]).exclude(pk__in=drawn).exists()
    return real + synthetic, real_cut or synthetic_cut


def _rank_organisations(ties: list[int], synthetic_ids: set[int]) -> list[int]:
    """Organisation ids to draw (`ties`: one id per tie): every real one, the synthetic ones
    with most ties."""
    degree: dict[int, int] = {}
    for organisation_id in ties:
        degree[organisation_id] = degree.get(organisation_id, 0) + 1
    real = sorted(pk for pk in degree if pk not in synthetic_ids)[:REAL_LIMIT]
    ranked = sorted((pk for pk in degree if pk in synthetic_ids), key=lambda pk: (-degree[pk], pk))
    return real + ranked[: SYNTHETIC_LIMITS["organisation"]]


def build_graph(filters: GraphFilters) -> Graph:
    """The bounded graph for these filters, as nodes and edges ready for JSON or a table."""
    graph = Graph()
    urls = _PageUrls()
    networks, networks_cut = _pick_networks(filters)
    network_ids = [n.pk for n in networks]
    projects, projects_cut = _pick_projects(filters, network_ids)
    project_ids = [p.pk for p in projects]

    roles = list(
        GoverningRole.objects.filter(_during(filters), network_id__in=network_ids)
        .values_list("organisation_id", "network_id", "role")
        .distinct()
        .order_by("network_id", "role", "organisation_id")
    )
    partnerships = list(
        Partnership.objects.filter(project_id__in=project_ids)
        .values_list("organisation_id", "project_id", "role")
        .order_by("project_id", "role", "organisation_id")
    )
    ties = [row[0] for row in roles + partnerships]
    candidate_ids = set(ties)
    # Rank on ids first: thousands of candidates, a few hundred drawn.
    # No ordering: the index on `synthetic` answers alone, without reading the rows.
    candidates = Organisation.objects.filter(pk__in=candidate_ids, synthetic__in=[True])
    synthetic_ids = set(candidates.order_by().values_list("pk", flat=True))
    chosen = set(_rank_organisations(ties, synthetic_ids))
    organisations = Organisation.objects.filter(pk__in=chosen).only(
        "id", "name_it", "name_en", "acronym", "synthetic"
    )
    organisations = sorted(organisations, key=lambda o: (o.synthetic, o.name_it, o.pk))

    for network in networks:
        graph.nodes.append(_node("network", network, str(network), network.name, urls))
    for project in projects:
        graph.nodes.append(_node("project", project, str(project), project.title, urls))
    for organisation in organisations:
        label = organisation.acronym or organisation.name
        graph.nodes.append(_node("organisation", organisation, label, organisation.name, urls))

    links = NetworkLink.objects.filter(
        from_network_id__in=network_ids, to_network_id__in=network_ids
    ).values_list("from_network_id", "to_network_id", "kind")
    labels = _labels(NetworkLink.Kind, GoverningRole.Role, Partnership.Role)
    for source, target, kind in links:
        graph.edges.append(
            _edge(f"network-{source}", f"network-{target}", "link", kind, labels[0][kind])
        )
    for org, network, role in roles:
        if org in chosen:
            graph.edges.append(
                _edge(f"organisation-{org}", f"network-{network}", "role", role, labels[1][role])
            )
    for org, project, role in partnerships:
        if org in chosen:
            graph.edges.append(
                _edge(f"organisation-{org}", f"project-{project}", "partner", role, labels[2][role])
            )
    linked_label = _("collegato alla rete")
    project_networks = Project.networks.through.objects.filter(
        project_id__in=project_ids, network_id__in=network_ids
    ).values_list("project_id", "network_id")
    for project, network in project_networks.order_by("project_id", "network_id"):
        graph.edges.append(
            _edge(f"project-{project}", f"network-{network}", "project", "", linked_label)
        )

    graph.truncated = networks_cut or projects_cut or len(chosen) < len(candidate_ids)
    _count_degrees(graph)
    return graph


def _labels(*choices) -> list[dict[str, str]]:
    """Each choice's label in the active language, translated once per graph."""
    return [{choice.value: str(choice.label) for choice in kind} for kind in choices]


def _node(kind: str, record, label: str, name: str, urls: _PageUrls) -> dict:
    return {
        "id": f"{kind}-{record.pk}",
        "kind": kind,
        "kind_label": urls.kind_labels[kind],
        "label": label,
        "name": name,
        "url": urls.url(kind, record),
        "synthetic": record.synthetic,
    }


def _edge(source: str, target: str, kind: str, relation: str, label: str) -> dict:
    return {
        "id": f"{source}~{target}~{relation or kind}",
        "source": source,
        "target": target,
        "kind": kind,
        "relation": relation,
        "label": label,
    }


def _count_degrees(graph: Graph) -> None:
    degree = {node["id"]: 0 for node in graph.nodes}
    for edge in graph.edges:
        degree[edge["source"]] += 1
        degree[edge["target"]] += 1
    for node in graph.nodes:
        node["degree"] = degree[node["id"]]
