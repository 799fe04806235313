"""The suppression threshold setting, and the disclosure module's algorithm with it as default.

The algorithm (primary and complementary suppression with its audit) lives in disclosure.py,
which reads no settings; this module is the one place that reads
`MONITORING_SUPPRESSION_THRESHOLD` (default 5).
"""

from collections.abc import Iterable

from django.conf import settings

from .disclosure import Key, Relation, bounds, grid_relations, recoverable
from .disclosure import suppress as _suppress

__all__ = ["bounds", "grid_relations", "recoverable", "suppress", "threshold_setting"]


def threshold_setting() -> int:
    return int(getattr(settings, "MONITORING_SUPPRESSION_THRESHOLD", 5))


def suppress(
    values: dict[Key, int],
    relations: list[Relation],
    threshold: int | None = None,
    *,
    also: Iterable[Key] = frozenset(),
) -> set[Key]:
    """disclosure.suppress with the threshold of the settings unless one is given."""
    threshold = threshold_setting() if threshold is None else threshold
    return _suppress(values, relations, threshold, also=also)
