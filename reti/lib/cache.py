"""Reti's one cache: answers kept under a version per scope, a scope bumped when its data change.

The rule (docs/architecture.md, "Caching"): nothing is cached without a measured need; what
is cached is derived from the database and kept in the shared cache (`CACHES["default"]`:
Redis in production, so every web worker reads the same entries; local memory for
`make run` and the tests) under a key that carries the current version of each **scope** it
was computed from. A change to a scope's records bumps the scope once it is committed
(`bump`, called by the action or signal that changes them, or by a bulk load when it ends):
every entry computed from the older data is then out of reach, in every process, and ages
out of the cache by itself. Nothing is deleted, nothing is scanned.

    from reti.lib import cache

    def _network_record(slug):
        return cache.cached(
            ("networks", "territories"), ("network-record", get_language(), slug),
            lambda: _render(slug),
        )

    post_save.connect(lambda **kw: cache.bump("networks"), sender=Network)

A transaction that changed a scope does not store what it computes from that scope before it
commits: its readers see rows a rollback would take back. Entries have no expiry unless the
caller gives one (`ttl`, seconds) for data no signal follows (counts over millions of rows
that the bulk loads change).

HTML a template rendered (`render_to_string`) may be kept as it is: the backends pickle
values, so it comes back as the `SafeString` it was, and a view never calls `mark_safe` on
what it read from the cache (reti/lib/tests/test_house_cache.py).

The versions live in the cache itself, not in a database row: reading one is a cache read
(the scopes of a call in one round trip), and an evicted version only makes that scope's
entries unreachable, never stale.
"""

import hashlib
import re
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.core.cache import cache as _backend
from django.db import transaction

T = TypeVar("T")

PREFIX = "reti"
# A scope every entry depends on: a bulk load that bypassed every signal bumps it.
EVERYTHING = "everything"
# Longer keys are hashed, and so are keys with spaces or non-ASCII letters (a network's
# name): memcached refuses them, and long keys cost memory in every backend.
MAX_KEY = 200
PLAIN = re.compile(r"[\x21-\x7e]*")


def _version_key(scope: str) -> str:
    return f"{PREFIX}:version:{scope}"


def _token() -> str:
    return uuid.uuid4().hex[:12]


def versions(scopes: Iterable[str]) -> dict[str, str]:
    """The current version of each scope (a new one drawn for a scope that has none)."""
    keys = {scope: _version_key(scope) for scope in scopes}
    found = _backend.get_many(list(keys.values()))
    result = {}
    for scope, key in keys.items():
        version = found.get(key)
        if version is None:
            drawn = _token()
            # Two processes drawing at once agree on whichever was stored first.
            version = drawn if _backend.add(key, drawn, None) else _backend.get(key, drawn)
        result[scope] = version
    return result


def key(scopes: str | tuple[str, ...], parts: Iterable[Hashable]) -> str:
    """The key of an entry: the scopes at their current versions, then the caller's parts."""
    scopes = (EVERYTHING, *((scopes,) if isinstance(scopes, str) else scopes))
    current = versions(scopes)
    head = "+".join(f"{scope}.{current[scope]}" for scope in scopes)
    tail = ":".join(str(part) for part in parts)
    entry = f"{PREFIX}:{head}:{tail}"
    if len(entry) > MAX_KEY or not PLAIN.fullmatch(tail):
        entry = f"{PREFIX}:{head}:#{hashlib.sha256(tail.encode()).hexdigest()}"
    return entry


class _Bump:
    """The commit hook of `bump`: marks the scope changed for every process."""

    def __init__(self, scope: str):
        self.scope = scope
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _backend.set(_version_key(self.scope), _token(), None)

    def __repr__(self) -> str:  # shown by Django's on_commit errors and test captures
        return f"bump({self.scope!r})"


def _open_bumps(connection) -> dict[str, _Bump]:
    """The bumps waiting for this connection's commit, by scope.

    Read from Django's list of commit hooks, and noted beside it until that list is replaced
    (a commit or a rollback, of the transaction or of a savepoint, builds a new one): a load
    saving thousands of records does not scan thousands of hooks at each save.
    """
    hooks = connection.run_on_commit
    noted = getattr(connection, "_reti_cache_bumps", None)
    if noted is None or noted[0] is not hooks:
        bumps = {
            hook.scope: hook
            for _savepoints, hook, *_robust in hooks
            if isinstance(hook, _Bump) and not hook.done
        }
        noted = (hooks, bumps)
        connection._reti_cache_bumps = noted
    return noted[1]


def _pending(scopes: tuple[str, ...]) -> set[str]:
    """The scopes among `scopes` that this connection changed in its open transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return set()
    bumps = _open_bumps(connection)
    return {scope for scope in scopes if scope in bumps and not bumps[scope].done}


def bump(*scopes: str) -> None:
    """A new version of each scope once the current transaction commits (at once outside one).

    Call it from the code that changes a scope's records: the action, a signal receiver, or
    a bulk load when it ends. Several calls in one transaction bump each scope once.
    """
    connection = transaction.get_connection()
    pending = _pending(scopes)
    for scope in scopes:
        if scope not in pending:
            hook = _Bump(scope)
            transaction.on_commit(hook)
            if connection.in_atomic_block:
                _open_bumps(connection)[scope] = hook


def bump_everything() -> None:
    """Every scope at once: after a bulk load whose rows passed no signal (`reti demo`)."""
    bump(EVERYTHING)


def cached(
    scopes: str | tuple[str, ...],
    parts: Iterable[Hashable],
    compute: Callable[[], T],
    ttl: int | None = None,
) -> T:
    """`compute()`, kept under `parts` until one of `scopes` is bumped (or `ttl` seconds pass).

    `parts` must name everything the answer depends on besides the scopes' data: the record,
    the filters, the language. The answer must pickle (plain data, model instances, strings).
    """
    scopes = (scopes,) if isinstance(scopes, str) else tuple(scopes)
    if _pending((EVERYTHING, *scopes)):
        return compute()
    entry = key(scopes, parts)
    # A one-element tuple, so that None, 0 or an empty list are kept like any answer.
    found = _backend.get(entry)
    if found is not None:
        return found[0]
    value = compute()
    _backend.set(entry, (value,), ttl)
    return value


def hits(parts: Iterable[Hashable], window: int) -> int:
    """Count one more use of `parts` within a fixed window of `window` seconds; the new count.

    For rate limits (how many sign-ups from one address in an hour): the count lives in the
    shared cache, so every web worker sees it, and it ends with its window. Counts are not
    versioned: no scope's change resets them.
    """
    entry = _hits_entry(parts)
    _backend.add(entry, 0, window)
    try:
        return _backend.incr(entry)
    except ValueError:  # the entry ended between add and incr: a new window starts
        _backend.add(entry, 1, window)
        return 1


def hits_so_far(parts: Iterable[Hashable]) -> int:
    """The count `hits` reached for `parts` in the current window, without counting one more
    (a limit on failures checks it before an attempt and counts only the failed ones)."""
    return _backend.get(_hits_entry(parts)) or 0


def _hits_entry(parts: Iterable[Hashable]) -> str:
    tail = ":".join(str(part) for part in parts)
    return f"{PREFIX}:hits:#{hashlib.sha256(tail.encode()).hexdigest()}"


# Short-lived records: a value held for a while under `parts`, shared by every worker, not
# versioned (no scope's change drops it). For what a flow leaves between two requests (a SPID
# request waiting for its answer) and for what may happen only once (an assertion's ID).


def hold(parts: Iterable[Hashable], value, timeout: int) -> None:
    """Keep `value` under `parts` for `timeout` seconds."""
    _backend.set(_held_entry(parts), (value,), timeout)


def held(parts: Iterable[Hashable]):
    """The value `hold` kept under `parts`, or None when there is none (or it ended)."""
    found = _backend.get(_held_entry(parts))
    return found[0] if found else None


def release(parts: Iterable[Hashable]) -> bool:
    """Forget what is held under `parts`; False when nothing was (so two callers racing to
    take the same record learn which of them did)."""
    return bool(_backend.delete(_held_entry(parts)))


def first_time(parts: Iterable[Hashable], timeout: int) -> bool:
    """True the first time `parts` is seen within `timeout` seconds, False after (atomic)."""
    return bool(_backend.add(_held_entry(parts), (True,), timeout))


def _held_entry(parts: Iterable[Hashable]) -> str:
    tail = ":".join(str(part) for part in parts)
    return f"{PREFIX}:held:#{hashlib.sha256(tail.encode()).hexdigest()}"
