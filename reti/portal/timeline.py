"""The timeline: networks and projects by programming period."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import cache, lists, tabular
from reti.registry import changes
from reti.registry.models import Network, ProgrammingPeriod, Project

# Counting two million projects by period takes a while: kept until networks or projects change.
SCOPES = (changes.NETWORKS, changes.PROJECTS)


def _counts_by_period() -> dict[str, dict[int, int]]:
    # All rows, not only synthetic ones: the (period, status, id) index answers without
    # reading the table; the few real records are subtracted by the view.
    projects = Project.objects.order_by().values("period_id").annotate(n=Count("pk"))
    networks = (
        Network.periods.through.objects.order_by()
        .values("programmingperiod_id")
        .annotate(n=Count("pk"))
    )
    return {
        "projects": {row["period_id"]: row["n"] for row in projects},
        "networks": {row["programmingperiod_id"]: row["n"] for row in networks},
    }


def _names(key: str, attribute: str):
    return lambda entry: " | ".join(getattr(record, attribute) for record in entry[key])


TIMELINE = tabular.Table(
    "cronologia",
    _("Cronologia"),
    (
        tabular.Column("periodo", _("Periodo di programmazione"), lambda e: e["period"].code),
        tabular.Column(
            "reti_delle_fonti", _("Reti delle fonti"), lambda e: len(e["networks"]),
            type="integer",
        ),
        tabular.Column(
            "progetti_delle_fonti", _("Progetti delle fonti"), lambda e: len(e["projects"]),
            type="integer",
        ),
        tabular.Column(
            "reti_sintetiche", _("Reti sintetiche"), lambda e: e["synthetic_networks"],
            type="integer", description=_("Dati inventati della dimostrazione, solo contati"),
        ),
        tabular.Column(
            "progetti_sintetici", _("Progetti sintetici"), lambda e: e["synthetic_projects"],
            type="integer", description=_("Dati inventati della dimostrazione, solo contati"),
        ),
        tabular.Column(
            "reti", _("Reti delle fonti (nomi)"), _names("networks", "name_it"),
            description=_("Nomi separati da |"),
        ),
        tabular.Column(
            "progetti", _("Progetti delle fonti (titoli)"), _names("projects", "title_it"),
            description=_("Titoli separati da |"),
        ),
    ),
    description=_("Reti e progetti per periodo di programmazione, come nella cronologia."),
)  # fmt: skip


class TimelineForm(lists.FilterForm):
    """The timeline filters nothing: one page, and its download."""


@require_safe
@lists.filtered_by(TimelineForm)
def timeline(request, filters: TimelineForm):
    """Each period with the records of real sources in full and synthetic ones as counts."""
    counts = cache.cached(SCOPES, ("timeline-counts",), _counts_by_period)
    periods = list(ProgrammingPeriod.objects.all())
    by_period = {p.pk: {"period": p, "networks": [], "projects": []} for p in periods}
    networks = Network.periods.through.objects.filter(network__synthetic__in=[False])
    for link in networks.select_related("network").order_by("network__name_it"):
        by_period[link.programmingperiod_id]["networks"].append(link.network)
    # `synthetic IN (false)`, not `NOT synthetic`: SQLite uses the index only for the former.
    real_projects = Project.objects.filter(synthetic__in=[False]).order_by()
    for project in sorted(real_projects, key=lambda p: p.pk):
        by_period[project.period_id]["projects"].append(project)
    for pk, entry in by_period.items():
        entry["synthetic_networks"] = counts["networks"].get(pk, 0) - len(entry["networks"])
        entry["synthetic_projects"] = counts["projects"].get(pk, 0) - len(entry["projects"])
    entries = list(by_period.values())
    return lists.respond(
        request,
        filters,
        None,
        TIMELINE,
        "portal/timeline.html",
        {"periods": entries},
        page=lists.Page([]),
        records=entries,
    )
