"""The public catalogue of published practices: full-text search, facets, similar practices.

Search comes from the registry's engine (`search.matching_ids`, the best matches first);
facets count among the current results and filter by code: theme, target group, region,
network, programming period.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reti.registry.models import Network, ProgrammingPeriod, Territory, Theme

from . import search
from .models import GoodPractice, TargetGroup

PAGE_SIZE = 20
FACET_OPTIONS = 15
# Facet counts of the catalogue without a query are the same for every visitor: kept a while.
FACET_CACHE_SECONDS = 300
# The list ranks and facets count among this many best matches of a query.
SEARCH_CANDIDATES = 300
SIMILAR = 5
SIMILAR_CANDIDATES = 300


@dataclass(frozen=True)
class FacetSpec:
    param: str  # the URL parameter
    label: str
    field: str  # the practice field it filters on
    model: type
    code: str  # the field of `model` that the URL carries


FACETS = (
    FacetSpec("tema", _("Tema"), "themes", Theme, "code"),
    FacetSpec("destinatari", _("Destinatari"), "target_groups", TargetGroup, "code"),
    FacetSpec("regione", _("Regione"), "region", Territory, "code"),
    FacetSpec("rete", _("Rete"), "network", Network, "slug"),
    FacetSpec("periodo", _("Periodo di programmazione"), "period", ProgrammingPeriod, "code"),
)


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
    practices: list
    count: int
    page: int
    pages: int
    facets: list[Facet] = field(default_factory=list)
    selected: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    capped: bool = False


def published():
    return GoodPractice.objects.filter(state=GoodPractice.State.PUBLISHED)


def _apply_facets(queryset, params, errors):
    selected = {}
    for spec in FACETS:
        value = (params.get(spec.param) or "").strip()
        if not value:
            continue
        target = spec.model.objects.filter(**{spec.code: value}).first()
        if target is None:
            errors.append(f"{spec.label}: {value}")
            continue
        queryset = queryset.filter(**{spec.field: target})
        selected[spec.param] = value
    return queryset, selected


def _cached_facets(queryset, selected) -> list[Facet]:
    """Facet counts of the catalogue filtered by facets only, cached FACET_CACHE_SECONDS."""
    key = "knowledge-facets:" + "&".join(f"{k}={v}" for k, v in sorted(selected.items()))
    key += f":{get_language()}"
    facets = cache.get(key)
    if facets is None:
        facets = _facets(queryset, selected)
        cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


def _facets(queryset, selected) -> list[Facet]:
    facets = []
    for spec in FACETS:
        counts = (
            queryset.filter(**{f"{spec.field}__isnull": False})
            .values(spec.field)
            .annotate(n=Count("pk"))
            .order_by("-n")[:FACET_OPTIONS]
        )
        counted = {row[spec.field]: row["n"] for row in counts}
        targets = spec.model.objects.in_bulk(list(counted))
        options = [
            Option(
                value=str(getattr(targets[pk], spec.code)),
                label=str(getattr(targets[pk], "name", targets[pk])),
                count=n,
                selected=selected.get(spec.param) == str(getattr(targets[pk], spec.code)),
            )
            for pk, n in counted.items()
            if pk in targets
        ]
        if options:
            facets.append(Facet(spec, options))
    return facets


def browse(params, page: int = 1) -> Catalogue:
    """Published practices matching the query `q` and facets in `params`, one page of them."""
    errors: list[str] = []
    query = (params.get("q") or "").strip()
    queryset, selected = _apply_facets(published(), params, errors)
    ranked = search.matching_ids(query, SEARCH_CANDIDATES)
    if ranked is not None:
        queryset = queryset.filter(pk__in=ranked)
        kept = set(queryset.values_list("pk", flat=True))
        ordered = [pk for pk in ranked if pk in kept]
        count = len(ordered)
        pages = max(1, -(-count // PAGE_SIZE))
        page = min(max(page, 1), pages)
        ids = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        rows = _with_related(GoodPractice.objects.filter(pk__in=ids)).in_bulk(ids)
        practices = [rows[pk] for pk in ids if pk in rows]
    else:
        count = queryset.count()
        pages = max(1, -(-count // PAGE_SIZE))
        page = min(max(page, 1), pages)
        practices = list(
            _with_related(queryset.order_by("-published_at", "-id"))[
                (page - 1) * PAGE_SIZE : page * PAGE_SIZE
            ]
        )
    return Catalogue(
        query=query,
        practices=practices,
        count=count,
        page=page,
        pages=pages,
        facets=_facets(queryset, selected)
        if ranked is not None
        else _cached_facets(queryset, selected),
        selected=selected,
        errors=errors,
        capped=ranked is not None and len(ranked) >= SEARCH_CANDIDATES,
    )


def _with_related(queryset):
    # search_text can hold hundreds of kilobytes of attachment text: pages never show it.
    return queryset.select_related("lead_organisation", "network", "region", "period").defer(
        "search_text"
    )


def similar_practices(practice: GoodPractice, limit: int = SIMILAR) -> list[GoodPractice]:
    """Published practices sharing most themes and target groups with `practice`.

    Counted among the first SIMILAR_CANDIDATES practices sharing each theme or group (in the
    order of the join table's index), so the cost stays bounded whatever the catalogue's size;
    the same network or region breaks ties.
    """
    scores: Counter = Counter()
    for relation, weight in (("themes", 2), ("target_groups", 1)):
        through = getattr(GoodPractice, relation).through
        column = "theme_id" if relation == "themes" else "targetgroup_id"
        values = list(getattr(practice, relation).values_list("pk", flat=True))
        if not values:
            continue
        rows = (
            through.objects.filter(**{f"{column}__in": values})
            .order_by()
            .values_list("goodpractice_id", flat=True)[: SIMILAR_CANDIDATES + 1]
        )
        for pk in rows:
            if pk != practice.pk:
                scores[pk] += weight
    if not scores:
        return []
    best = [pk for pk, _ in scores.most_common(limit * 4)]
    candidates = (
        published()
        .filter(pk__in=best)
        .select_related("lead_organisation")
        .only(
            "title_it",
            "title_en",
            "network_id",
            "region_id",
            "lead_organisation__name_it",
            "lead_organisation__name_en",
            "lead_organisation__acronym",
        )
        .in_bulk(best)
    )

    def score(pk):
        other = candidates[pk]
        bonus = (other.network_id == practice.network_id) + (other.region_id == practice.region_id)
        return (-(scores[pk] * 2 + bonus), -pk)

    return [candidates[pk] for pk in sorted(candidates, key=score)[:limit]]
