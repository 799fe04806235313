"""The public catalogue of published practices: full-text search, facets, similar practices.

Search comes from the registry's engine (`search.matching_ids`, the best matches first);
facets count among the current results and filter by code: theme, target group, region,
network, programming period.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from reti.registry.models import Network, ProgrammingPeriod, Territory, Theme

from . import search
from .models import GoodPractice, TargetGroup

PAGE_SIZE = 20
FACET_OPTIONS = 15
SIMILAR = 5
SIMILAR_CANDIDATES = 500


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
    ranked = search.matching_ids(query)
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
        facets=_facets(queryset, selected),
        selected=selected,
        errors=errors,
        capped=ranked is not None and len(ranked) >= search.engine.CANDIDATES,
    )


def _with_related(queryset):
    return queryset.select_related("lead_organisation", "network", "region", "period")


def similar_practices(practice: GoodPractice, limit: int = SIMILAR) -> list[GoodPractice]:
    """Published practices sharing most themes and target groups with `practice`.

    Counted among the most recent SIMILAR_CANDIDATES sharing each, so the cost stays bounded;
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
            through.objects.filter(
                **{f"{column}__in": values}, goodpractice__state=GoodPractice.State.PUBLISHED
            )
            .exclude(goodpractice_id=practice.pk)
            .order_by("-goodpractice_id")
            .values_list("goodpractice_id", flat=True)[:SIMILAR_CANDIDATES]
        )
        for pk in rows:
            scores[pk] += weight
    if not scores:
        return []
    best = [pk for pk, _ in scores.most_common(limit * 4)]
    candidates = _with_related(published().filter(pk__in=best)).in_bulk(best)

    def score(pk):
        other = candidates[pk]
        bonus = (other.network_id == practice.network_id) + (other.region_id == practice.region_id)
        return (-(scores[pk] * 2 + bonus), -pk)

    return [candidates[pk] for pk in sorted(candidates, key=score)[:limit]]
