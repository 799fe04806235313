"""The monitoring's domain queries, taking plain arguments (the list's and, later, the API's)."""

from reti.registry.models import Territory
from reti.registry.queries import period_id, unknown

REGION_LEVELS = (Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE)


def regions():
    """The territories an intervention's region may be (regioni e province autonome)."""
    return Territory.objects.filter(level__in=REGION_LEVELS)


def filter_interventions(
    queryset,
    *,
    region: str | None = None,
    period: str | None = None,
    instrument: str | None = None,
):
    """Interventions of a region (ISTAT code), a programming period, an instrument; a code
    that names no region or period is a ValidationError keyed by its parameter."""
    if region:
        found = regions().filter(code=region).values_list("pk", flat=True).first()
        if found is None:
            raise unknown("region", f"Unknown region: {region}")
        queryset = queryset.filter(region_id=found)
    if period:
        queryset = queryset.filter(period_id=period_id(period))
    if instrument:
        queryset = queryset.filter(instrument=instrument)
    return queryset
