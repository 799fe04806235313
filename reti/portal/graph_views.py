"""The network-of-networks page and its JSON data, filtered by programming period and theme."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.lib import cache
from reti.registry import changes, queries
from reti.registry.models import ProgrammingPeriod, Theme

from .graph import Graph, GraphFilters, build_graph

PERIOD, THEME = "periodo", "tema"
# Building the graph reads a few thousand rows at national scale (~0.1-0.2 s on SQLite):
# kept until networks, organisations, projects or their ties change.
SCOPES = (changes.NETWORKS, changes.PROJECTS)
MAX_CODE = 60  # the longest theme code
# The full lists a truncated graph points to (other parts of the portal).
LISTS = [
    ("portal:network_list", gettext_lazy("reti")),
    ("portal:project_list", gettext_lazy("progetti")),
    ("portal:organisation_list", gettext_lazy("organizzazioni")),
]


def _plain(code: str) -> bool:
    """Whether a value could be a code: PostgreSQL refuses NUL bytes with an error, not a miss."""
    return len(code) <= MAX_CODE and code.isprintable()


def read_filters(query) -> tuple[GraphFilters, dict[str, str], list[tuple[str, str]]]:
    """The filters understood, their values for a clean query string, and the problems
    (parameter, message) with the rest: unknown parameters or values."""
    problems = []
    understood = {}
    period = None
    themes: tuple[int, ...] = ()
    for name in query:
        if name not in (PERIOD, THEME):
            problems.append((name, _("Filtro sconosciuto: «%(name)s».") % {"name": name}))
    if code := query.get(PERIOD, "").strip():
        period = ProgrammingPeriod.objects.filter(code=code).first() if _plain(code) else None
        if period is None:
            message = _("Periodo di programmazione sconosciuto: «%(value)s».") % {"value": code}
            problems.append((PERIOD, message))
        else:
            understood[PERIOD] = code
    if code := query.get(THEME, "").strip():
        try:
            if not _plain(code):
                raise queries.unknown(THEME, "not a theme code")
            themes = tuple(queries.theme_ids(code, THEME))
            understood[THEME] = code
        except ValidationError:
            problems.append((THEME, _("Tema sconosciuto: «%(value)s».") % {"value": code}))
    return GraphFilters(period=period, theme_ids=themes), understood, problems


def _key(understood: dict[str, str]) -> tuple[str, str]:
    return get_language(), urlencode(sorted(understood.items()))


def cached_graph(filters: GraphFilters, understood: dict[str, str]) -> Graph:
    """The graph for these filters, per language, rebuilt when its records change."""
    return cache.cached(SCOPES, ("graph", *_key(understood)), lambda: build_graph(filters))


def _tables(graph: Graph, understood: dict[str, str]) -> str:
    """The graph as HTML tables; hundreds of rows, so rendered once with the graph."""

    def render_tables():
        nodes = {node["id"]: node for node in graph.nodes}
        edges = [(nodes[e["source"]], e, nodes[e["target"]]) for e in graph.edges]
        return render_to_string("portal/graph/tables.html", {"graph": graph, "edges": edges})

    return cache.cached(SCOPES, ("graph-tables", *_key(understood)), render_tables)


def _list_links() -> list[tuple[str, str]]:
    return [(reverse(name), label) for name, label in LISTS]


@require_safe
def graph(request):
    filters, understood, problems = read_filters(request.GET)
    graph = cached_graph(filters, understood)
    query = urlencode(understood)
    context = {
        "graph": graph,
        "tables": _tables(graph, understood) if graph.nodes else "",
        "problems": [message for _param, message in problems],
        "periods": ProgrammingPeriod.objects.all(),
        "themes": Theme.objects.order_by("name_it"),
        "selected": understood,
        "data_url": reverse("portal:graph_data") + (f"?{query}" if query else ""),
        "list_links": _list_links() if graph.truncated else [],
        "filtered": bool(understood),
    }
    return render(request, "portal/graph/graph.html", context)


@require_safe
def graph_data(request):
    """The graph as JSON; parameters it does not understand are a 400 naming each one."""
    filters, understood, problems = read_filters(request.GET)
    if problems:
        detail = [{"field": param, "message": message} for param, message in problems]
        return JsonResponse({"detail": detail}, status=400)
    graph = cached_graph(filters, understood)
    return JsonResponse({**graph.as_json(), "filters": understood})
