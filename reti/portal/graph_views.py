"""The network-of-networks page and its JSON data, filtered by programming period and theme."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_safe

from reti.lib import cache, lists
from reti.registry import changes, queries
from reti.registry.models import ProgrammingPeriod, Theme

from .graph import Graph, GraphFilters, build_graph

PERIOD, THEME = "period", "theme"
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


class GraphFilterForm(lists.FilterForm):
    period = lists.code(MAX_CODE)
    theme = lists.code(MAX_CODE)


def read_filters(form: GraphFilterForm) -> tuple[GraphFilters, dict[str, str]]:
    """The filters understood and their values for a clean query string; a period or theme
    no record has is reported by the form."""
    period = None
    themes: tuple[int, ...] = ()
    if code := form.values.get(PERIOD):
        period = ProgrammingPeriod.objects.filter(code=code).first()
        if period is None:
            form.refuse(PERIOD)
    if code := form.values.get(THEME):
        try:
            themes = tuple(queries.theme_ids(code, THEME))
        except ValidationError:
            form.refuse(THEME)
    return GraphFilters(period=period, theme_ids=themes), form.applied


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
@lists.filtered_by(GraphFilterForm)
def graph(request, form: GraphFilterForm):
    filters, understood = read_filters(form)
    graph = cached_graph(filters, understood)
    query = urlencode(understood)
    context = {
        "graph": graph,
        "tables": _tables(graph, understood) if graph.nodes else "",
        "problems": form.problems,
        "periods": ProgrammingPeriod.objects.all(),
        "themes": Theme.objects.order_by("name_it"),
        "selected": understood,
        "data_url": reverse("portal:graph_data") + (f"?{query}" if query else ""),
        "list_links": _list_links() if graph.truncated else [],
        "filtered": bool(understood),
    }
    return render(request, "portal/graph/graph.html", context)


@require_safe
@lists.filtered_by(GraphFilterForm)
def graph_data(request, form: GraphFilterForm):
    """The graph as JSON; parameters it does not understand are a 400 naming each one."""
    filters, understood = read_filters(form)
    if form.not_understood:
        detail = [
            {"field": name, "message": message}
            for (name, _value), message in zip(form.not_understood, form.problems, strict=True)
        ]
        return JsonResponse({"detail": detail}, status=400)
    graph = cached_graph(filters, understood)
    return JsonResponse({**graph.as_json(), "filters": understood})
