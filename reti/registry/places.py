"""Where projects' partners are: the upkeep of ProjectPlace and the territory filter on it.

A project's places are the municipality, province (or autonomous province) and region of each
partner's territory, and a foreign region where one is set. They change when a partnership is
added, moved or removed, when an organisation moves, and when territories are reloaded; the
signals here cover the first two for every door (back office, API, loaders), `rebuild()`
the rest and the demo's bulk load.
"""

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Organisation, Partnership, ProjectPlace, Territory

Level = Territory.Level
PLACE_LEVELS = (
    Level.MUNICIPALITY,
    Level.PROVINCE,
    Level.AUTONOMOUS_PROVINCE,
    Level.REGION,
    Level.FOREIGN_REGION,
)
# A province or a municipality holds few of a region's projects: reading its places first and
# sorting them beats walking every project of the list until a page of matches is found.
SPARSE_LEVELS = {Level.MUNICIPALITY, Level.PROVINCE, Level.FOREIGN_REGION}
# Municipality > province > region: the deepest chain of place levels.
MAX_DEPTH = 4


def project_place_q(territory: Territory) -> Q | None:
    """Projects with a partner in `territory`, through their places; None for a level that
    has no places (a country, a macro-area), which the caller filters another way."""
    if territory.level not in PLACE_LEVELS:
        return None
    places = ProjectPlace.objects.filter(territory_id=territory.pk)
    if territory.level in SPARSE_LEVELS:
        return Q(pk__in=places.values("project_id"))
    return Q(Exists(places.filter(project_id=OuterRef("pk"))))


def _place_map(territory_ids=None) -> dict[int, list[int]]:
    """For each territory (all when None), itself and its ancestors that are place levels."""
    rows = {}
    wanted = None if territory_ids is None else set(territory_ids)
    frontier = wanted
    for _ in range(MAX_DEPTH + 1):
        query = Territory.objects.values_list("pk", "parent_id", "level")
        if frontier is not None:
            query = query.filter(pk__in=frontier)
        found = {pk: (parent, level) for pk, parent, level in query if pk not in rows}
        rows |= found
        if frontier is None:
            break
        frontier = {parent for parent, _ in found.values() if parent and parent not in rows}
        if not frontier:
            break
    places = {}
    for pk in rows if wanted is None else wanted & rows.keys():
        chain, node = [], pk
        for _ in range(MAX_DEPTH + 1):
            if node is None or node not in rows:
                break
            parent, level = rows[node]
            if level in PLACE_LEVELS:
                chain.append(node)
            node = parent
        places[pk] = chain
    return places


def refresh(project_ids) -> None:
    """Recompute the places of these projects (a few: one query for their partners)."""
    project_ids = set(project_ids)
    if not project_ids:
        return
    partners = list(
        Partnership.objects.filter(
            project_id__in=project_ids, organisation__territory__isnull=False
        )
        .values_list("project_id", "organisation__territory_id")
        .distinct()
    )
    place_map = _place_map({territory for _, territory in partners})
    rows = {(project, place) for project, territory in partners for place in place_map[territory]}
    ProjectPlace.objects.filter(project_id__in=project_ids).delete()
    ProjectPlace.objects.bulk_create(
        ProjectPlace(project_id=project, territory_id=place) for project, place in sorted(rows)
    )


def rebuild(*, synthetic: bool | None = None) -> int:
    """Recompute every project's places in two statements (only synthetic or only real
    partnerships' with `synthetic`); returns the rows written."""
    quote = connection.ops.quote_name
    places = quote(ProjectPlace._meta.db_table)
    partnership = quote(Partnership._meta.db_table)
    organisation = quote(Organisation._meta.db_table)
    where, params = "", []
    if synthetic is not None:
        where, params = "WHERE p.synthetic = %s", [synthetic]
    place_map = [(t, place) for t, chain in _place_map().items() for place in chain]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS reti_place_map")
        cursor.execute(
            "CREATE TEMPORARY TABLE reti_place_map (territory_id integer, place_id integer)"
        )
        cursor.executemany("INSERT INTO reti_place_map VALUES (%s, %s)", place_map)
        cursor.execute("CREATE INDEX reti_place_map_territory ON reti_place_map (territory_id)")
        if synthetic is None:
            cursor.execute(f"DELETE FROM {places}")
        else:
            cursor.execute(
                f"DELETE FROM {places} WHERE project_id IN "
                f"(SELECT p.project_id FROM {partnership} p {where})",
                params,
            )
        # Partnerships drive the join in project order (SQLite keeps a CROSS JOIN's order and
        # reads them through the (project, organisation) unique index; during a bulk load the
        # organisations' territory index is set aside), so rows are appended to the primary
        # key's B-tree, and a place two partners share is written once.
        where = f"{where} AND" if where else "WHERE"
        cursor.execute(
            f"INSERT INTO {places} (territory_id, project_id) "
            f"SELECT m.place_id, p.project_id FROM {partnership} p "
            f"CROSS JOIN {organisation} o CROSS JOIN reti_place_map m "
            f"{where} o.id = p.organisation_id AND m.territory_id = o.territory_id "
            "ORDER BY p.project_id ON CONFLICT DO NOTHING",
            params,
        )
        written = cursor.rowcount
        cursor.execute("DROP TABLE reti_place_map")
    return written


def _remember_old_values(sender, instance, raw=False, **kwargs):
    """Before a save, note what the places depend on, to refresh the old project too."""
    if raw or instance._state.adding or instance.pk is None:
        return
    field = "project_id" if sender is Partnership else "territory_id"
    instance._places_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    )


def _partnership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    refresh({instance.project_id, getattr(instance, "_places_before", None)} - {None})


def _organisation_moved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created or getattr(instance, "_places_before", None) == instance.territory_id:
        return
    refresh(instance.partnerships.values_list("project_id", flat=True))


def connect_signals() -> None:
    for model in (Partnership, Organisation):
        pre_save.connect(_remember_old_values, sender=model, dispatch_uid=f"places-{model}")
    post_save.connect(_partnership_changed, sender=Partnership, dispatch_uid="places-partner")
    post_delete.connect(_partnership_changed, sender=Partnership, dispatch_uid="places-unpartner")
    post_save.connect(_organisation_moved, sender=Organisation, dispatch_uid="places-moved")
