"""The server clock of the grants app: the one time deadlines are checked against.

Deadlines are compared with `now()` only, so tests can move the clock (including between the
start and the end of one submission) by patching this function. `at(moment)` sets it for a
block: the demo uses it to tell a call's whole history (published months ago, submitted
before its deadline, ranked after its appeal window) through the same actions as the web. A
served process never sets it.
"""

from contextlib import contextmanager

from django.utils import timezone

_moment = None


def now():
    """The server's current time, aware (UTC)."""
    return _moment if _moment is not None else timezone.now()


@contextmanager
def at(moment):
    """Inside the block `now()` reads `moment` (aware); for the demo's history."""
    global _moment
    before, _moment = _moment, moment
    try:
        yield
    finally:
        _moment = before


def local_date():
    """Today in Europe/Rome by the server clock (validity dates are read against it)."""
    return timezone.localtime(now()).date()
