"""Organisations: the list with filters and downloads, and an organisation's page."""

import csv

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import BigIntegerField, F, Func, Q
from django.db.models.lookups import In
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.registry import changes, queries
from reti.registry.models import Organisation, Territory

from .forms import OrganisationFilterForm
from .listing import apply_filters, clean_filters, parse_filters

PAGE_SIZE = 50
# Past this many organisations, a page of a territory's walks the name index (in_territories).
MANY = 2000
DETAIL_CAP = 25
# URL parameter -> form field: the site speaks of regions, the queries of territories.
FILTERS = {
    "q": "q",
    "kind": "kind",
    "region": "territory",
    "status": "status",
    "synthetic": "synthetic",
}
CURSOR = "dopo"
FORMAT = "formato"
EXPORT_FIELDS = [
    "id",
    "name_it",
    "name_en",
    "acronym",
    "kind",
    "runts_section",
    "territory_code",
    "territory",
    "parent_id",
    "tax_code",
    "vat_number",
    "website",
    "status",
    "synthetic",
]


def _labels() -> dict[str, str]:
    return {
        "kind": _("tipo"),
        "territory": _("territorio"),
        "status": _("stato"),
        "synthetic": _("dato sintetico"),
        "q": _("testo (almeno 2 caratteri)"),
    }


def _territory_ids(code: str, parsed, labels) -> list[int] | None:
    """The territory and every territory inside it, as a literal list of ids.

    The API's filter reaches municipalities through their parent (a join); on this list,
    ordered by name, the indexed column alone lets PostgreSQL pick a plan ten times faster.
    """
    try:
        territory = Territory.objects.by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        parsed.errors.append(f"{labels['territory']}: {code}")
        return None
    return queries.territory_ids(territory.pk)


def in_territories(queryset, ids: list[int]):
    """The organisations of `queryset` in these territories, filtered for a page by name.

    A municipality's few organisations are read through the territory index and sorted. A
    region's 20,000 cost 35-70 ms that way on SQLite: there, the page walks the name index
    and keeps the organisations inside (one in 25 for Toscana), which needs SQLite's planner
    to leave the territory index alone (`+territory_id` is the same value, without an index).
    PostgreSQL weighs the LIMIT itself.
    """
    inside = queryset.filter(territory_id__among=ids)
    if connection.vendor != "sqlite" or inside.order_by().values("pk")[:MANY].count() < MANY:
        return inside
    unindexed = Func(F("territory_id"), template="+%(expressions)s", output_field=BigIntegerField())
    return queryset.filter(In(unindexed, ids))


def _page(queryset, after: str):
    """One keyset page on (name_it, id), the order of the org_name_idx index."""
    if after.isdigit():
        last = Organisation.objects.filter(pk=int(after)).values_list("name_it", flat=True)
        name = last.first()
        if name is not None:
            # name_it >= name first, so the index scan starts there instead of at the top.
            queryset = queryset.filter(
                Q(name_it__gte=name), Q(name_it__gt=name) | Q(id__gt=int(after))
            )
    rows = list(queryset.order_by("name_it", "id")[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _export_row(org: Organisation) -> dict:
    return {
        "id": org.pk,
        "name_it": org.name_it,
        "name_en": org.name_en,
        "acronym": org.acronym,
        "kind": org.kind,
        "runts_section": org.runts_section,
        "territory_code": org.territory.code if org.territory else "",
        "territory": org.territory.name_it if org.territory else "",
        "parent_id": org.parent_id,
        "tax_code": org.tax_code or "",
        "vat_number": org.vat_number or "",
        "website": org.website,
        "status": org.status,
        "synthetic": org.synthetic,
    }


def _export(rows, fmt: str):
    data = [_export_row(org) for org in rows]
    if fmt == "json":
        response = JsonResponse({"results": data}, encoder=DjangoJSONEncoder)
        response["Content-Disposition"] = 'attachment; filename="organizzazioni.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organizzazioni.csv"'
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(data)
    return response


@require_safe
def organisation_list(request):
    labels = _labels()
    parsed = parse_filters(request, FILTERS, reserved={CURSOR, FORMAT})
    filters = clean_filters(OrganisationFilterForm, parsed, labels)
    queryset = Organisation.objects.select_related("territory")
    territories = None
    if filters.get("territory"):
        territories = _territory_ids(filters.pop("territory"), parsed, labels)
    queryset = apply_filters(queries.filter_organisations, queryset, filters, parsed, labels)
    if territories is not None:
        queryset = in_territories(queryset, territories)
    after = request.GET.get(CURSOR, "")
    rows, has_next = _page(queryset, after)
    fmt = request.GET.get(FORMAT, "")
    if fmt in ("csv", "json"):
        return _export(rows, fmt)

    kept = {p: request.GET[p] for p in FILTERS if request.GET.get(p, "").strip()}
    base = reverse("portal:organisation_list")

    def url(**extra) -> str:
        query = urlencode({**kept, **extra})
        return f"{base}?{query}" if query else base

    context = {
        "rows": rows,
        "kept": kept,
        "unknown": parsed.unknown,
        "errors": parsed.errors,
        "kinds": Organisation.Kind.choices,
        "statuses": Organisation.Status.choices,
        "next_url": url(**{CURSOR: rows[-1].pk}) if has_next else "",
        "first_url": url() if after else "",
        "csv_url": url(**({CURSOR: after} if after else {}), **{FORMAT: "csv"}),
        "json_url": url(**({CURSOR: after} if after else {}), **{FORMAT: "json"}),
    }
    return render(request, "portal/organisations/list.html", context)


@require_safe
def organisation_detail(request, pk: int):
    org = get_object_or_404(
        Organisation.objects.select_related("parent", "territory", "source"), pk=pk
    )
    roles = (
        org.network_roles.select_related("network")
        .only(
            "organisation", "role", "start_date", "end_date", "attested_on", "synthetic",
            "source_slides", "network__name_it", "network__name_en",
        )
        .order_by("network__name_it", "start_date", "attested_on", "id")
    )  # fmt: skip
    # Only the columns the table shows: a project's texts are long, and a Region has
    # thousands of partnerships.
    partnerships = (
        org.partnerships.select_related("project", "project__period")
        .only(
            "organisation", "role", "contribution_it", "contribution_en", "project__title_it",
            "project__title_en", "project__acronym", "project__period__code",
        )
        .order_by("-project_id")
    )  # fmt: skip
    groups = (
        org.coordinated_groups.select_related("network")
        .only(
            "coordinator", "title_it", "title_en", "programme_year",
            "network__name_it", "network__name_en", "network__acronym",
        )
        .order_by("-programme_year", "id")
    )  # fmt: skip
    context = {
        "org": org,
        # The organisation's own record (facts, units, roles, groups) is rendered once per
        # language and kept until the registry's generation changes: the template reads
        # these querysets only when its fragment is not in the cache. Partnerships, like a
        # network's projects, are read on every visit.
        "generation": changes.generation(),
        "units": org.units.order_by("name_it", "id")[:DETAIL_CAP],
        "roles": roles[:DETAIL_CAP],
        "groups": groups[:DETAIL_CAP],
        "partnerships": list(partnerships[: DETAIL_CAP + 1]),
        "cap": DETAIL_CAP,
    }
    return render(request, "portal/organisations/detail.html", context)
