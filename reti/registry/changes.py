"""A generation of who-works-where in the registry, for caches that derive from it.

Pages that aggregate over many records (a territory's networks, a network's record) cache their
answer under a key that holds the generation; any save or delete of a record in `MODELS`, or a
change of the relations in `RELATIONS`, changes it, from every door (back office, API,
loaders), so a cached answer is never older than the records it was computed from. Bulk
loads bypass the signals and call `bump()` themselves when they end.

The generation has two parts. The shared one is a token in the database
(`RegistryGeneration`), replaced once the change is committed: every process reads it, so a
web worker's cache does not outlive a change made through another worker. The local one is
this process's, replaced at once: a reader inside the changing transaction (which sees the
uncommitted rows) does not cache them under a key that would survive a rollback.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    ProgrammingPeriod,
    RegistryGeneration,
    Source,
    Territory,
    Theme,
    WorkingGroup,
)

KEY = "reti-registry-generation"
# Everything a cached page shows: a network's page keeps its whole record (roles, working
# groups, links, actions, their sources, themes and periods) until one of these changes.
MODELS = (
    Network,
    Organisation,
    GoverningRole,
    WorkingGroup,
    Territory,
    NetworkLink,
    Action,
    Source,
    Theme,
    ProgrammingPeriod,
)
RELATIONS = (Network.themes, Network.periods, WorkingGroup.related_networks)
ROW = 1


def _token() -> str:
    return uuid.uuid4().hex[:12]


def generation() -> str:
    shared = RegistryGeneration.objects.filter(pk=ROW).values_list("token", flat=True).first()
    local = cache.get(KEY)
    if local is None:
        local = _token()
        if not cache.add(KEY, local, None):
            local = cache.get(KEY, local)
    return f"{shared or '-'}.{local}"


def bump() -> None:
    """A new generation for every process (call it after the change is committed)."""
    _bump_local()
    RegistryGeneration.objects.update_or_create(pk=ROW, defaults={"token": _token()})


def _bump_local() -> None:
    cache.set(KEY, _token(), None)


def _changed(sender, raw=False, **kwargs):
    if raw:
        return
    # This process at once (a reader inside this transaction), every process after the
    # commit (readers outside it, who could otherwise keep what they read before the commit).
    _bump_local()
    transaction.on_commit(bump)


def connect_signals() -> None:
    for model in MODELS:
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"changes-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"changes-delete-{name}")
    for relation in RELATIONS:
        through = relation.through
        m2m_changed.connect(
            _related, sender=through, dispatch_uid=f"changes-m2m-{through.__name__}"
        )


def _related(sender, action, **kwargs):
    if action.startswith("post_"):
        _changed(sender)
