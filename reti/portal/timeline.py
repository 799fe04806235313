"""The timeline: networks and projects by programming period."""

from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reti.registry.models import Network, ProgrammingPeriod, Project

# Counting two million synthetic projects by period takes a while: a figure some minutes old
# is fine for a summary.
COUNTS_TTL = 600


def _synthetic_counts() -> dict[str, dict[int, int]]:
    projects = (
        Project.objects.filter(synthetic=True)
        .order_by()
        .values("period_id")
        .annotate(n=Count("id"))
    )
    networks = (
        Network.periods.through.objects.filter(network__synthetic=True)
        .order_by()
        .values("programmingperiod_id")
        .annotate(n=Count("id"))
    )
    return {
        "projects": {row["period_id"]: row["n"] for row in projects},
        "networks": {row["programmingperiod_id"]: row["n"] for row in networks},
    }


@require_safe
def timeline(request):
    """Each period with the records of real sources in full and synthetic ones as counts."""
    counts = cache.get_or_set("portal:timeline-synthetic-counts", _synthetic_counts, COUNTS_TTL)
    periods = list(ProgrammingPeriod.objects.all())
    networks = Network.periods.through.objects.filter(network__synthetic=False).select_related(
        "network"
    )
    projects = Project.objects.filter(synthetic=False).select_related("fund").order_by("id")
    by_period = {p.pk: {"period": p, "networks": [], "projects": []} for p in periods}
    for link in networks.order_by("network__name_it"):
        by_period[link.programmingperiod_id]["networks"].append(link.network)
    for project in projects:
        by_period[project.period_id]["projects"].append(project)
    for period in periods:
        entry = by_period[period.pk]
        entry["synthetic_networks"] = counts["networks"].get(period.pk, 0)
        entry["synthetic_projects"] = counts["projects"].get(period.pk, 0)
    return render(request, "portal/timeline.html", {"periods": by_period.values()})
