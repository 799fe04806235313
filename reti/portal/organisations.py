"""Organisations: the list with filters and downloads, and an organisation's page."""

from django.db import connection
from django.db.models import BigIntegerField, F, Func, Q
from django.db.models.lookups import In
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.lib import cache, tabular
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
ORGANISATIONS = tabular.Table(
    "organizzazioni",
    gettext_lazy("Organizzazioni"),
    (
        tabular.Column(
            "id", gettext_lazy("Numero dell'organizzazione nel registro"), type="integer"
        ),
        tabular.Column("nome", gettext_lazy("Nome"), "name_it"),
        tabular.Column("nome_en", gettext_lazy("Nome in inglese"), "name_en"),
        tabular.Column("sigla", gettext_lazy("Sigla"), "acronym"),
        tabular.Column("tipo", gettext_lazy("Tipo"), lambda o: o.get_kind_display()),
        tabular.Column(
            "sezione_runts", gettext_lazy("Sezione del RUNTS"),
            lambda o: o.get_runts_section_display() if o.runts_section else "",
            description=gettext_lazy("Registro unico nazionale del Terzo settore"),
        ),
        tabular.Column(
            "codice_territorio", gettext_lazy("Codice del territorio"), "territory.code",
            description=gettext_lazy("Codice ISTAT (regione, provincia, comune) o del paese"),
        ),
        tabular.Column("territorio", gettext_lazy("Territorio"), "territory.name_it"),
        tabular.Column(
            "id_ente_appartenenza", gettext_lazy("Ente di appartenenza (numero)"),
            "parent_id", type="integer",
        ),
        tabular.Column("codice_fiscale", gettext_lazy("Codice fiscale"), "tax_code"),
        tabular.Column("partita_iva", gettext_lazy("Partita IVA"), "vat_number"),
        tabular.Column("sito", gettext_lazy("Sito web"), "website", type="url"),
        tabular.Column("stato", gettext_lazy("Stato"), lambda o: o.get_status_display()),
        tabular.Column(
            "dato_sintetico", gettext_lazy("Dato sintetico"), "synthetic", type="boolean",
            description=gettext_lazy("Sì per i dati inventati della dimostrazione"),
        ),
        tabular.Column(
            "pagina", gettext_lazy("Pagina sul portale"),
            lambda o: reverse("portal:organisation_detail", args=[o.pk]), type="url",
        ),
    ),
    description=gettext_lazy(
        "Le organizzazioni del registro che corrispondono ai filtri della lista."
    ),
)  # fmt: skip


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


def _applied(filters, territories, kept: dict[str, str]) -> dict[str, str]:
    """The URL parameters of the filters actually applied (invalid ones were dropped)."""
    return {
        param: kept[param]
        for param, field in FILTERS.items()
        if param in kept
        and (territories if field == "territory" else filters.get(field)) is not None
    }


@require_safe
def organisation_list(request):
    labels = _labels()
    parsed = parse_filters(request, FILTERS, reserved={CURSOR, tabular.PARAM})
    filters = clean_filters(OrganisationFilterForm, parsed, labels)
    queryset = Organisation.objects.select_related("territory")
    territories = None
    if filters.get("territory"):
        territories = _territory_ids(filters.pop("territory"), parsed, labels)
    queryset = apply_filters(queries.filter_organisations, queryset, filters, parsed, labels)
    kept = {p: request.GET[p] for p in FILTERS if request.GET.get(p, "").strip()}
    applied = _applied(filters, territories, kept)
    if tabular.requested(request):
        # Every organisation the filters select, all pages, in the list's order.
        if territories is not None:
            queryset = queryset.filter(territory_id__among=territories)
        refused = [(name, request.GET[name]) for name in parsed.unknown]
        refused += [(name, value) for name, value in kept.items() if name not in applied]
        return tabular.download(
            request,
            ORGANISATIONS,
            queryset.order_by("name_it", "id").iterator(chunk_size=2000),
            filters=applied,
            refused=refused,
        )
    if territories is not None:
        queryset = in_territories(queryset, territories)
    after = request.GET.get(CURSOR, "")
    rows, has_next = _page(queryset, after)
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
        "downloads": tabular.links(base, applied),
    }
    return render(request, "portal/organisations/list.html", context)


def _organisation_record(org: Organisation) -> dict[str, str]:
    """The organisation's own record (facts, units, roles in networks) and its coordinated
    groups, rendered in the active language.

    Kept until a record of the networks' or territories' scope changes: without it the
    busiest organisation's page took 39-40 ms p50 and 55 ms p95 on PostgreSQL at national
    scale (a Region holds dozens of roles), 25-30 ms with it (docs/benchmarks.md).
    Partnerships, transfers and events are read on every visit.
    """

    def render() -> dict[str, str]:
        roles = (
            org.network_roles.select_related("network")
            .only(
                "organisation", "role", "start_date", "end_date", "attested_on", "synthetic",
                "source_slides", "network__name_it", "network__name_en",
            )
            .order_by("network__name_it", "start_date", "attested_on", "id")
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
            "units": org.units.order_by("name_it", "id")[:DETAIL_CAP],
            "roles": roles[:DETAIL_CAP],
            "groups": groups[:DETAIL_CAP],
        }
        return {
            "record": render_to_string("portal/organisations/record.html", context),
            "groups": render_to_string("portal/organisations/groups.html", context),
        }

    return cache.cached(
        (changes.NETWORKS, changes.TERRITORIES),
        ("organisation-record", get_language(), org.pk),
        render,
    )


@require_safe
def organisation_detail(request, pk: int):
    org = get_object_or_404(
        Organisation.objects.select_related("parent", "territory", "source"), pk=pk
    )
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
    record = _organisation_record(org)
    context = {
        "org": org,
        "record": mark_safe(record["record"]),  # rendered by our own templates
        "groups": mark_safe(record["groups"]),
        "partnerships": list(partnerships[: DETAIL_CAP + 1]),
        "cap": DETAIL_CAP,
    }
    return render(request, "portal/organisations/detail.html", context)
