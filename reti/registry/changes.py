"""A generation number of who-works-where in the registry, for caches that derive from it.

Pages that aggregate over many records (a territory's networks) cache their answer under a key
that holds the generation; any save or delete of a network, an organisation, a governing role or
a working group bumps it, from every door (back office, API, loaders), so a cached answer is
never older than the records it was computed from. Bulk loads bypass the signals and call
`bump()` themselves when they end.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import GoverningRole, Network, Organisation, WorkingGroup

KEY = "reti-registry-generation"
MODELS = (Network, Organisation, GoverningRole, WorkingGroup)


def generation() -> str:
    value = cache.get(KEY)
    if value is None:
        value = uuid.uuid4().hex[:12]
        if not cache.add(KEY, value, None):
            value = cache.get(KEY, value)
    return value


def bump() -> None:
    cache.set(KEY, uuid.uuid4().hex[:12], None)


def _changed(sender, raw=False, **kwargs):
    if raw:
        return
    # Now (a reader inside this transaction) and after the commit (readers outside it, who
    # could otherwise cache what they read before the commit under the new generation).
    bump()
    transaction.on_commit(bump)


def connect_signals() -> None:
    for model in MODELS:
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"changes-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"changes-delete-{name}")
