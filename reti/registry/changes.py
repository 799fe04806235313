"""The registry's cache scopes, and the signals that bump them (reti/lib/cache.py).

Pages that aggregate over many records cache their answer under the scopes it is computed
from; a save or delete of a record of a scope, from any door (back office, API, actions),
bumps that scope once the change is committed. Bulk loads bypass the signals and call
`bump()` themselves when they end.

- `NETWORKS`: what a network's record shows (roles, working groups, links, actions, their
  sources, themes and periods) and the organisations named in it;
- `TERRITORIES`: the territories and their parents (what is inside a territory);
- `PROJECTS`: projects, their partnerships and networks, and where organisations are (an
  organisation created, deleted or moved to another territory): the figures and counts
  over millions of partnerships.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from reti.lib import cache

from .models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
    Source,
    Territory,
    Theme,
    WorkingGroup,
)

NETWORKS = "registry.networks"
TERRITORIES = "registry.territories"
PROJECTS = "registry.projects"
SCOPES = (NETWORKS, TERRITORIES, PROJECTS)

SCOPE_MODELS = {
    NETWORKS: (
        Network,
        Organisation,
        GoverningRole,
        WorkingGroup,
        NetworkLink,
        Action,
        Source,
        Theme,
        ProgrammingPeriod,
    ),
    TERRITORIES: (Territory,),
    PROJECTS: (Project, Partnership),
}
SCOPE_RELATIONS = {
    NETWORKS: (Network.themes, Network.periods, WorkingGroup.related_networks),
    PROJECTS: (Project.networks,),
}


def bump() -> None:
    """Every registry scope, after a bulk load (its rows passed no signal)."""
    cache.bump(*SCOPES)


def _receiver(scope: str):
    def changed(sender, raw=False, **kwargs):
        if not raw:
            cache.bump(scope)

    changed.__name__ = f"bump_{scope.replace('.', '_')}"
    return changed


def _related_receiver(scope: str):
    def changed(sender, action, **kwargs):
        if action.startswith("post_"):
            cache.bump(scope)

    return changed


def _organisation_placed(sender, instance, raw=False, created=False, **kwargs):
    """An organisation created or moved changes the figures of its territories.

    `_places_before` is the territory before the save, noted by reti.registry.places.
    """
    if raw:
        return
    if created or getattr(instance, "_places_before", None) != instance.territory_id:
        cache.bump(PROJECTS)


def _organisation_deleted(sender, raw=False, **kwargs):
    cache.bump(PROJECTS)


_RECEIVERS = {scope: (_receiver(scope), _related_receiver(scope)) for scope in SCOPES}


def connect_signals() -> None:
    for scope, models in SCOPE_MODELS.items():
        receiver = _RECEIVERS[scope][0]
        for model in models:
            name = f"{scope}-{model.__name__}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"changes-save-{name}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"changes-delete-{name}")
    for scope, relations in SCOPE_RELATIONS.items():
        receiver = _RECEIVERS[scope][1]
        for relation in relations:
            through = relation.through
            m2m_changed.connect(
                receiver, sender=through, dispatch_uid=f"changes-m2m-{scope}-{through.__name__}"
            )
    post_save.connect(_organisation_placed, sender=Organisation, dispatch_uid="changes-placed")
    post_delete.connect(_organisation_deleted, sender=Organisation, dispatch_uid="changes-unplaced")
