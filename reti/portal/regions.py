"""Projects and partnerships per Italian region, for the map of Italy and its table.

Organisations sit in municipalities, provinces or regions: one aggregate query climbs at most
two parents to the region (or autonomous province, which Reti maps on its own) and counts.
At national scale (5M partnerships) that takes 10-60 s on PostgreSQL, so the figures are
cached (reti.lib.cache) until projects, partnerships, organisations' places or territories
change, from any door: the first visit after a change computes them (and waits for them),
every later one, in any web worker, reads them. The page says when they were computed.
"""

import json
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connection
from django.utils import timezone

from reti.lib import cache
from reti.lib.models import translated
from reti.registry import changes
from reti.registry.models import Organisation, Partnership, Territory

SCOPES = (changes.PROJECTS, changes.TERRITORIES)
MAP_FILE = "portal/map/italy-regions.json"
# Trentino-Alto Adige is drawn as its two autonomous provinces.
TRENTINO = "04"
REGIONAL = [Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE]


@dataclass
class RegionFigures:
    code: str
    name_it: str
    name_en: str
    projects: int = 0
    partnerships: int = 0
    on_map: bool = True

    @property
    def name(self) -> str:
        return translated(self, "name")


@memoize
def map_paths() -> dict:
    """The committed SVG paths keyed by territory code, and their viewBox."""
    return json.loads(Path(finders.find(MAP_FILE)).read_text())


def _region_counts() -> dict[int, tuple[int, int]]:
    """{regional territory id: (distinct projects, partnerships)} in one aggregate query.

    Distinct (region, project) pairs are grouped first and then counted: PostgreSQL's
    COUNT(DISTINCT) sorts all 5M rows, which is five times slower than two hash aggregates.
    """
    partnership = Partnership._meta.db_table
    organisation = Organisation._meta.db_table
    territory = Territory._meta.db_table
    regional = "('region', 'autonomous_province')"
    sql = f"""
        SELECT region, COUNT(*), SUM(n) FROM (
            SELECT CASE WHEN t.level IN {regional} THEN t.id
                        WHEN p.level IN {regional} THEN p.id
                        ELSE p.parent_id END AS region,
                   pa.project_id, COUNT(*) AS n
            FROM {partnership} pa
            JOIN {organisation} o ON o.id = pa.organisation_id
            JOIN {territory} t ON t.id = o.territory_id
            LEFT JOIN {territory} p ON p.id = t.parent_id
            GROUP BY 1, 2
        ) pairs GROUP BY region
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {region: (projects, int(total)) for region, projects, total in cursor.fetchall()}


def _compute() -> dict:
    counts = _region_counts()
    rows = []
    for territory in Territory.objects.filter(level__in=REGIONAL).order_by("code"):
        projects, partnerships = counts.get(territory.pk, (0, 0))
        on_map = territory.code != TRENTINO
        if on_map or partnerships:
            rows.append(
                RegionFigures(
                    territory.code,
                    territory.name_it,
                    territory.name_en,
                    projects,
                    partnerships,
                    on_map,
                )
            )
    return {"rows": rows, "computed_at": timezone.now()}


def region_figures() -> dict:
    """{"rows": [RegionFigures], "computed_at": datetime}, regions in ISTAT order."""
    return cache.cached(SCOPES, ("region-figures",), _compute)
