"""Networks: the filtered list with its downloads, and a network's page."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import cache, lists, tabular
from reti.lib.pdf import pdf_response
from reti.registry import changes, queries
from reti.registry.models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    ProgrammingPeriod,
    Theme,
    WorkingGroup,
)

from .forms import NetworkFilterForm

PAGE_SIZE = 25
# The network's page lists this many projects; the rest are in the filtered project list.
PROJECTS_SHOWN = 20


def filter_choices() -> dict:
    """The values the filter form offers."""
    return {
        "periods": ProgrammingPeriod.objects.all(),
        "themes": Theme.objects.all(),
        "statuses": Network.Status.choices,
        "scopes": Network.Scope.choices,
    }


def _codes(related: str):
    return lambda network: " | ".join(item.code for item in getattr(network, related).all())


NETWORKS = tabular.Table(
    "reti",
    _("Reti"),
    (
        tabular.Column("id", _("Numero della rete nel registro"), type="integer"),
        tabular.Column("identificativo", _("Identificativo nell'indirizzo della pagina"), "slug"),
        tabular.Column("nome", _("Nome"), "name_it"),
        tabular.Column("nome_en", _("Nome in inglese"), "name_en"),
        tabular.Column("sigla", _("Sigla"), "acronym"),
        tabular.Column("ambito", _("Ambito"), lambda n: n.get_scope_display()),
        tabular.Column("stato", _("Stato"), lambda n: n.get_status_display()),
        tabular.Column(
            "periodi", _("Periodi di programmazione"), _codes("periods"),
            description=_("Codici separati da |"),
        ),
        tabular.Column(
            "temi", _("Temi"), _codes("themes"), description=_("Codici separati da |")
        ),
        tabular.Column("fonte", _("Fonte"), "source_label"),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
        tabular.Column(
            "pagina", _("Pagina sul portale"),
            lambda n: reverse("portal:network_detail", args=[n.slug]), type="url",
        ),
    ),
    description=_("Le reti del registro che corrispondono ai filtri della lista."),
)  # fmt: skip


@require_safe
@lists.filtered_by(NetworkFilterForm)
def network_list(request, filters: NetworkFilterForm):
    queryset = filters.filter(Network.objects.prefetch_related("periods"), queries.filter_networks)
    return lists.respond(
        request,
        filters,
        queryset,
        NETWORKS,
        "portal/networks/list.html",
        {"count": queryset.count(), **filter_choices()},
        ordering=("name_it", "pk"),
        size=PAGE_SIZE,
        records=lambda: (
            queryset.select_related("source")
            .prefetch_related("themes")
            .order_by("name_it", "id")
            .iterator(chunk_size=2000)
        ),
    )


def _load_network(slug: str) -> Network:
    """A network with everything its page shows, in a fixed number of queries."""
    source = ("source",)
    roles = GoverningRole.objects.select_related("organisation", *source)
    groups = WorkingGroup.objects.select_related("coordinator", *source).prefetch_related(
        "related_networks"
    )
    queryset = Network.objects.select_related(*source).prefetch_related(
        "themes",
        "periods",
        Prefetch("roles", roles),
        Prefetch("working_groups", groups),
        Prefetch("links_out", NetworkLink.objects.select_related("to_network", *source)),
        Prefetch("links_in", NetworkLink.objects.select_related("from_network", *source)),
        Prefetch("actions", Action.objects.select_related(*source)),
    )
    network = queryset.filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def _term_order(role: GoverningRole):
    # Oldest term first; undated terms (known only by the day a source attests them) after.
    when = role.start_date or role.attested_on or role.end_date
    return (when is None, when or date.min, role.pk)


def _participants(network: Network, roles: list[GoverningRole]) -> list[dict]:
    """Every organisation known by name to have taken part, with what it did: its roles over
    time and the working groups it coordinated; Regions first, then the others by name."""
    by_org: dict[int, dict] = {}

    def entry(organisation) -> dict:
        return by_org.setdefault(
            organisation.pk, {"organisation": organisation, "roles": [], "groups": []}
        )

    for role in roles:
        entry(role.organisation)["roles"].append(role)
    for group in network.working_groups.all():
        if group.coordinator is not None:
            entry(group.coordinator)["groups"].append(group)
    region = Organisation.Kind.REGION
    return sorted(
        by_org.values(),
        key=lambda e: (e["organisation"].kind != region, e["organisation"].name.lower()),
    )


def _network_record(slug: str) -> dict:
    """A network's own record (status, themes, governance over time, members, working groups,
    linked networks, actions, with their sources) rendered in the active language.

    Eleven queries and the page's longest rendering (first view p95 71 ms against 20 ms
    warm at national scale), for records that change a few times a year: kept until a
    record of the networks' scope changes (reti.registry.changes lists what a record shows,
    so any change to one of them, from any door, is on the next visit).
    """

    def render() -> dict:
        network = _load_network(slug)
        roles = sorted(network.roles.all(), key=_term_order)
        context = {
            "network": network,
            "secretariats": [r for r in roles if r.role == GoverningRole.Role.SECRETARIAT],
            "presidencies": [r for r in roles if r.role == GoverningRole.Role.PRESIDENCY],
            "participants": _participants(network, roles),
        }
        return {
            "fields": {name: getattr(network, name) for name in RECORD_FIELDS},
            "html": render_to_string("portal/networks/record.html", context),
        }

    return cache.cached(
        (changes.NETWORKS, changes.TERRITORIES), ("network-record", get_language(), slug), render
    )


# What the rest of the page needs of the network itself (title, projects, events, history).
RECORD_FIELDS = ("id", "slug", "name_it", "name_en")


@require_safe
def network_detail(request, slug: str):
    record = _network_record(slug)
    network = Network(**record["fields"])
    projects = list(
        network.projects_by_id(PROJECTS_SHOWN + 1, newest=True).select_related("period", "fund")
    )
    context = {
        "network": network,
        "record": record["html"],  # a template's output: safe, through the cache too
        "projects": projects[:PROJECTS_SHOWN],
        "more_projects": len(projects) > PROJECTS_SHOWN,
        "projects_url": f"{reverse('portal:project_list')}?network={network.slug}",
    }
    return render(request, "portal/networks/detail.html", context)


@require_safe
def network_pdf(request, slug: str):
    """The network's dossier as a PDF in the page's language (public, like the page)."""
    from . import dossier

    pdf = dossier.render(slug)
    language = (get_language() or "it")[:2]
    return pdf_response(pdf, f"rete-{slug}-{language}.pdf")
