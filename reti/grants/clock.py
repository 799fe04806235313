"""The server clock of the grants app: the one time deadlines are checked against.

Deadlines are compared with `now()` only, so tests can move the clock (including between the
start and the end of one submission) by patching this function.
"""

from django.utils import timezone


def now():
    """The server's current time, aware (UTC)."""
    return timezone.now()


def local_date():
    """Today in Europe/Rome by the server clock (validity dates are read against it)."""
    return timezone.localtime(now()).date()
