"""Whether the demo generators keep the search index up to date as they write.

A generator run on its own (a benchmark, a test) indexes what it writes in bulk, past the
signals, so its records are found. `reti demo` rebuilds the whole index from the tables at its
end: inside `rebuilt_afterwards()` the generators leave the index alone, instead of indexing
(and, when purging, removing) tens of thousands of documents that the rebuild replaces.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_rebuilt_afterwards = ContextVar("search_index_rebuilt_afterwards", default=False)


@contextmanager
def rebuilt_afterwards():
    """The caller rebuilds the whole search index once the generators inside have run."""
    token = _rebuilt_afterwards.set(True)
    try:
        yield
    finally:
        _rebuilt_afterwards.reset(token)


def generators_index() -> bool:
    """True when a generator must index (or un-index) its bulk records itself."""
    return not _rebuilt_afterwards.get()
