"""The public catalogue of published practices: full-text search, facets, similar practices.

Search comes from the registry's engine (`search.matching_ids`, the best matches first);
facets count among the current results and filter by code: theme, target group, region,
network, programming period.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reti.lib import cache, lists
from reti.registry import changes
from reti.registry.models import Network, ProgrammingPeriod, Territory, Theme

from . import search
from .models import GoodPractice, TargetGroup

PAGE_SIZE = 20
FACET_OPTIONS = 15
# The catalogue's cache scope (reti.lib.cache), bumped when a practice, its themes or target
# groups, or a target group change (reti.knowledge.apps). Facet counts of the catalogue
# without a query are the same for every visitor; facet labels are names of the registry's
# records too.
SCOPE = "knowledge"
LABEL_SCOPES = (SCOPE, changes.NETWORKS, changes.TERRITORIES)
# The list ranks and facets count among this many best matches of a query.
SEARCH_CANDIDATES = 300
SIMILAR = 5
SIMILAR_CANDIDATES = 100
# The engine's ranking of a title's similar practices is kept per title until a practice
# changes; one no longer public drops out at once (the state is read on every visit).


@dataclass(frozen=True, eq=False)  # hashed by identity: hashing its lazy label translates it
class FacetSpec:
    param: str  # the URL parameter
    label: str
    field: str  # the practice field it filters on
    model: type
    code: str  # the field of `model` that the URL carries


# The URL parameters are the API's filters (reti/knowledge/api/practices.py).
FACETS = (
    FacetSpec("theme", _("Tema"), "themes", Theme, "code"),
    FacetSpec("target_group", _("Destinatari"), "target_groups", TargetGroup, "code"),
    FacetSpec("region", _("Regione"), "region", Territory, "code"),
    FacetSpec("network", _("Rete"), "network", Network, "slug"),
    FacetSpec("period", _("Periodo di programmazione"), "period", ProgrammingPeriod, "code"),
)
# The catalogue's order without a query: the newest publication first.
ORDERING = ("-published_at", "-pk")


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    spec: FacetSpec
    options: list[Option]


@dataclass
class Catalogue:
    query: str
    page: lists.Page
    count: int
    # Every practice of the list in its order, all pages (for the download).
    every: object
    facets: list[Facet] = field(default_factory=list)
    selected: dict[str, str] = field(default_factory=dict)
    # The facet parameters whose code no record has.
    refused: list[str] = field(default_factory=list)
    capped: bool = False

    @property
    def practices(self) -> list:
        return self.page.rows


def published():
    return GoodPractice.objects.filter(state=GoodPractice.State.PUBLISHED)


def _apply_facets(queryset, params, refused):
    """The queryset filtered by the facets of `params`, the values kept, the pks chosen."""
    selected, chosen = {}, {}
    for spec in FACETS:
        value = (params.get(spec.param) or "").strip()
        if not value:
            continue
        target = spec.model.objects.filter(**{spec.code: value}).first()
        if target is None:
            refused.append(spec.param)
            continue
        queryset = queryset.filter(**{spec.field: target})
        selected[spec.param] = value
        chosen[spec] = target.pk
    return queryset, selected, chosen


def _cached_facets(queryset, selected) -> list[Facet]:
    """Facet counts of the catalogue filtered by facets only, cached until practices change."""
    chosen = "&".join(f"{k}={v}" for k, v in sorted(selected.items()))
    return cache.cached(
        LABEL_SCOPES,
        ("knowledge-facets", get_language(), chosen),
        lambda: _facets(queryset, selected),
    )


def _facets(queryset, selected) -> list[Facet]:
    """Facet counts of a whole (facet-filtered) catalogue, counted by the database."""
    counted = {}
    for spec in FACETS:
        rows = (
            queryset.filter(**{f"{spec.field}__isnull": False})
            .values(spec.field)
            .annotate(n=Count("pk"))
            .order_by("-n", spec.field)[:FACET_OPTIONS]
        )
        counted[spec] = Counter({row[spec.field]: row["n"] for row in rows})
    return _facet_options(counted, selected)


def _facets_of_matches(ranked: list[int], chosen: dict) -> tuple[list[int], list[Facet]]:
    """The matches `ranked` that are published and have the `chosen` facet values (in rank
    order), and their facet counts.

    Three queries by primary key whatever the facets (the practices' own facet columns, their
    themes, their target groups), filtered and counted in Python over at most
    SEARCH_CANDIDATES rows: no plan can turn them into a scan of the catalogue.
    """
    values = {spec: {} for spec in FACETS}
    for pk, state, *columns in GoodPractice.objects.filter(pk__in=ranked).values_list(
        "pk", "state", "region_id", "network_id", "period_id"
    ):
        if state == GoodPractice.State.PUBLISHED:
            for spec, value in zip(FACETS[2:], columns, strict=True):
                values[spec][pk] = {value} if value is not None else set()
    matches = list(values[FACETS[2]])
    for spec in FACETS[:2]:
        through = getattr(GoodPractice, spec.field).through
        column = "theme_id" if spec.field == "themes" else "targetgroup_id"
        of = values[spec] = {pk: set() for pk in matches}
        for pk, value in through.objects.filter(goodpractice_id__in=matches).values_list(
            "goodpractice_id", column
        ):
            of[pk].add(value)
    kept = {
        pk for pk in matches if all(value in values[spec][pk] for spec, value in chosen.items())
    }
    counted = {spec: Counter(value for pk in kept for value in values[spec][pk]) for spec in FACETS}
    return [pk for pk in ranked if pk in kept], _facet_options(counted, {})


def _labels(spec: FacetSpec, pks) -> dict:
    """(code, label) of facet values by pk; kept until those records change."""

    def labels() -> dict:
        return {
            pk: (str(getattr(target, spec.code)), str(getattr(target, "name", target)))
            for pk, target in spec.model.objects.in_bulk(pks).items()
        }

    chosen = ",".join(map(str, sorted(pks)))
    return cache.cached(
        LABEL_SCOPES, ("knowledge-facet-labels", spec.param, get_language(), chosen), labels
    )


def _facet_options(counted: dict, selected) -> list[Facet]:
    facets = []
    for spec in FACETS:
        best = sorted(counted[spec].items(), key=lambda item: (-item[1], item[0]))[:FACET_OPTIONS]
        labels = _labels(spec, [pk for pk, _ in best])
        options = [
            Option(
                value=labels[pk][0],
                label=labels[pk][1],
                count=n,
                selected=selected.get(spec.param) == labels[pk][0],
            )
            for pk, n in best
            if pk in labels
        ]
        if options:
            facets.append(Facet(spec, options))
    return facets


def browse(params, *, after: int | None = None, before: int | None = None) -> Catalogue:
    """Published practices matching the query `q` and facets in `params`; the page after the
    practice of id `after` (or before `before`), keyset pages as every list (reti.lib.lists)."""
    refused: list[str] = []
    query = (params.get("q") or "").strip()
    queryset, selected, chosen = _apply_facets(published(), params, refused)
    ranked = search.matching_ids(query, SEARCH_CANDIDATES)
    if ranked is not None:
        ordered, facets = _facets_of_matches(ranked, chosen)
        count = len(ordered)

        def load(ids):
            rows = _with_related(GoodPractice.objects.filter(pk__in=ids)).in_bulk(ids)
            return [rows[pk] for pk in ids if pk in rows]

        page = lists.keyset_of_ids(ordered, PAGE_SIZE, load, after=after, before=before)

        def every():
            for start in range(0, len(ordered), 500):
                yield from load(ordered[start : start + 500])

    else:
        count = queryset.count()
        page = lists.keyset(
            _with_related(queryset), PAGE_SIZE, ORDERING, after=after, before=before
        )
        facets = _cached_facets(queryset, selected)

        def every():
            return _with_related(queryset.order_by(*ORDERING)).iterator(chunk_size=2000)

    for facet in facets:
        for option in facet.options:
            option.selected = selected.get(facet.spec.param) == option.value
    return Catalogue(
        query=query,
        page=page,
        count=count,
        every=every,
        facets=facets,
        selected=selected,
        refused=refused,
        capped=ranked is not None and len(ranked) >= SEARCH_CANDIDATES,
    )


def _with_related(queryset):
    # search_text can hold hundreds of kilobytes of attachment text: pages never show it.
    return queryset.select_related("lead_organisation", "network", "region", "period").defer(
        "search_text"
    )


def similar_practices(practice: GoodPractice, limit: int = SIMILAR) -> list[GoodPractice]:
    """Published practices whose titles share most of the distinctive words of this one's.

    Text-based, through the search engine: the words of the Italian and English titles
    (function words and "demo" left out) are looked up in the other practices' titles,
    ranked by bm25 / ts_rank among the first SIMILAR_CANDIDATES matches, so the cost stays
    bounded whatever the catalogue's size. Two queries, one once the ranking of these titles
    is cached (until a practice changes).
    """
    ranked = _related_ids(practice.title_it, practice.title_en)
    best = [pk for pk in ranked if pk != practice.pk][: limit * 2]
    if not best:
        return []
    rows = (
        # By primary key only (the state is checked below): with `state` in the WHERE clause
        # SQLite may walk the state index across the whole catalogue instead.
        GoodPractice.objects.filter(pk__in=best)
        .select_related("lead_organisation")
        .only(
            "state",
            "title_it",
            "title_en",
            "lead_organisation__name_it",
            "lead_organisation__name_en",
            "lead_organisation__acronym",
        )
        .in_bulk(best)
    )
    public = GoodPractice.State.PUBLISHED
    return [rows[pk] for pk in best if pk in rows and rows[pk].state == public][:limit]


def _related_ids(title_it: str, title_en: str) -> list[int]:
    return cache.cached(
        SCOPE,
        ("knowledge-similar", SIMILAR_CANDIDATES, title_it, title_en),
        lambda: search.related_ids(title_it, title_en, SIMILAR_CANDIDATES),
    )
