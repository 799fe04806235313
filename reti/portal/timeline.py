"""The timeline: networks and projects by programming period."""

from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reti.lib import cache
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


@require_safe
def timeline(request):
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
    return render(request, "portal/timeline.html", {"periods": by_period.values()})
