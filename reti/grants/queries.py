"""The officer's list of a call's applications: the rows, the filters and their orderings.

One queryset for the page and its download (reti.lib.lists): the call's submitted and
withdrawn applications (never drafts) with what a row shows joined in (organisation, line,
territory, receipt, admissibility) and the count of requests still running, as a subquery;
a page reads 26 rows through the `grant_application_call_order` index.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from reti.registry.models import Territory

from .models import Admissibility, Application, Call, DocumentRequest

# The list's orderings (`?sort=`), each ending with the primary key for keyset pages.
ORDERINGS = {
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "organisation": ("organisation__name_it", "pk"),
    "-organisation": ("-organisation__name_it", "-pk"),
    "requested": ("requested_amount", "pk"),
    "-requested": ("-requested_amount", "pk"),
}
DEFAULT_ORDERING = "submitted"
REQUEST_STATES = ("open", "expired", "answered", "none")


def call_applications(call: Call):
    """The call's submitted and withdrawn applications (filter them, count them, then
    `with_rows`)."""
    # Submitted or withdrawn is "submitted at some time": read from the index
    # (call, submitted_at, id), which also gives the default order, a count without the table.
    return Application.objects.filter(call=call, submitted_at__isnull=False)


def with_rows(queryset, now):
    """What a row shows, joined in, and the count of requests still running (a subquery
    per row shown, never in the count)."""
    running = (
        DocumentRequest.objects.filter(application=OuterRef("pk"))
        .running(now)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related(
        "organisation", "line", "territory", "receipt", "admissibility"
    ).annotate(running_requests=Coalesce(Subquery(running, output_field=IntegerField()), 0))


def filter_applications(
    queryset,
    *,
    call: Call,
    now,
    line: str = "",
    outcome: str = "",
    territory: str = "",
    applicant_type: str = "",
    requests: str = "",
    status: str = "",
    q: str = "",
    sort: str = "",
):
    """The applications matching the filters; a line or territory code nobody has raises
    ValidationError keyed by the filter's name (the list reports it and drops it)."""
    if line:
        found = call.lines.filter(code=line).first()
        if found is None:
            raise ValidationError({"line": _("Linea sconosciuta.")})
        queryset = queryset.filter(line=found)
    if outcome == Admissibility.Outcome.PENDING:
        # Not decided: an anti-join. The LEFT JOIN with "IS NULL OR pending" it replaces was
        # estimated at one row by PostgreSQL, which then joined all 5,000 applications to
        # their organisation, territory and receipt before filtering (EXPLAIN ANALYZE,
        # docs/benchmarks.md).
        decided = Admissibility.objects.filter(application=OuterRef("pk")).exclude(
            outcome=Admissibility.Outcome.PENDING
        )
        queryset = queryset.filter(~Exists(decided))
    elif outcome:
        queryset = queryset.filter(admissibility__outcome=outcome)
    if territory:
        place = Territory.objects.filter(code=territory).first()
        if place is None:
            raise ValidationError({"territory": _("Territorio sconosciuto.")})
        queryset = queryset.filter(
            Q(territory=place) | Q(territory__parent=place) | Q(territory__parent__parent=place)
        )
    if applicant_type:
        queryset = queryset.filter(applicant_type=applicant_type)
    if status:
        queryset = queryset.filter(status=status)
    if requests:
        asked = DocumentRequest.objects.filter(application=OuterRef("pk"))
        chosen = {
            "open": asked.running(now),
            "expired": asked.lapsed(now),
            "answered": asked.filter(status=DocumentRequest.Status.ANSWERED),
        }
        if requests == "none":
            queryset = queryset.filter(~Exists(asked))
        else:
            queryset = queryset.filter(Exists(chosen[requests]))
    q = q.strip()
    if q:
        queryset = queryset.filter(
            Q(receipt__protocol_number__icontains=q) | Q(organisation__name_it__icontains=q)
        )
    return queryset


def territories(call: Call) -> list:
    """The territories the call's applications name and the provinces and regions they lie
    in, for the filter's choices (a province chooses its municipalities too)."""
    named = set(
        call_applications(call)
        .exclude(territory=None)
        .order_by()
        .values_list("territory", flat=True)
        .distinct()
    )
    found = {}
    wide = (Territory.Level.COUNTRY, Territory.Level.MACRO_AREA)
    for place in Territory.objects.filter(pk__in=named).select_related("parent__parent"):
        parent = place.parent
        for chosen in (place, parent, parent.parent if parent else None):
            if chosen is not None and chosen.level not in wide:
                found[chosen.pk] = chosen
    return sorted(found.values(), key=lambda t: (t.level, t.name_it))
