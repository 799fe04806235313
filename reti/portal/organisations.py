"""Organisations: the list with filters and downloads, and an organisation's page."""

from django.db import connection
from django.db.models import BigIntegerField, F, Func
from django.db.models.lookups import In
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_safe

from reti.lib import cache, lists, tabular
from reti.registry import changes, queries
from reti.registry.models import Organisation, Territory

from .forms import OrganisationFilterForm

PAGE_SIZE = 50
# Past this many organisations, a page of a territory's walks the name index (in_territories).
MANY = 2000
DETAIL_CAP = 25
# The list's order, the order of the org_name_idx index (name, id).
ORDERING = ("name_it", "pk")
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


def _territory_ids(filters: OrganisationFilterForm) -> list[int] | None:
    """The chosen territory and every territory inside it, as a literal list of ids.

    The API's filter reaches municipalities through their parent (a join); on this list,
    ordered by name, the indexed column alone lets PostgreSQL pick a plan ten times faster.
    A code no territory has is reported by the form.
    """
    code = filters.values.get("territory")
    if not code:
        return None
    try:
        territory = Territory.objects.by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        filters.refuse("territory")
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


def _without_territory(queryset, territory=None, **values):
    # The territory is applied on its indexed column (_territory_ids), not by the query.
    return queries.filter_organisations(queryset, **values)


@require_safe
@lists.filtered_by(OrganisationFilterForm)
def organisation_list(request, filters: OrganisationFilterForm):
    territories = _territory_ids(filters)
    queryset = filters.filter(Organisation.objects.select_related("territory"), _without_territory)
    listed = queryset
    if territories is not None:
        listed = in_territories(queryset, territories)
        queryset = queryset.filter(territory_id__among=territories)
    context = {"kinds": Organisation.Kind.choices, "statuses": Organisation.Status.choices}
    # The download is every organisation the filters select, all pages, in the list's order.
    return lists.respond(
        request,
        filters,
        listed,
        ORGANISATIONS,
        "portal/organisations/list.html",
        context,
        ordering=ORDERING,
        size=PAGE_SIZE,
        records=lambda: queryset.order_by(*ORDERING).iterator(chunk_size=2000),
    )


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
        "record": record["record"],  # templates' output: safe, through the cache too
        "groups": record["groups"],
        "partnerships": list(partnerships[: DETAIL_CAP + 1]),
        "cap": DETAIL_CAP,
    }
    return render(request, "portal/organisations/detail.html", context)
