"""Conflicts of interest Reti detects from the registry between an evaluator and a subject.

An evaluator belongs to the organisations of their memberships (reti.accounts); a subject
belongs to its organisations (`subject_organisations`). Four rules, each a function:

- `same_organisation`: an evaluator's organisation is the subject's, or one is a unit of the
  other, or both are units of the same parent (ente di appartenenza);
- `common_project`: both organisations are partners of one project active in the last three
  years (its or their partnership's end after the cut-off, or not yet ended);
- `shared_governance`: both hold a governing role (secretariat, presidency, coordination) in
  the same network, with terms overlapping within the last three years;
- `own_region`: for an interregional prize or call, the evaluator's organisation is in the
  subject's region.

Declared conflicts (ConflictDeclaration) are the evaluator's own words; these are found.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reti.accounts.models import Membership
from reti.registry.models import GoverningRole, Organisation, Partnership, Territory

YEARS = 3
GOVERNING = (
    GoverningRole.Role.SECRETARIAT,
    GoverningRole.Role.PRESIDENCY,
    GoverningRole.Role.COORDINATOR,
)
REGION_LEVELS = (Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE)


@dataclass(frozen=True)
class Conflict:
    kind: str  # same_organisation | common_project | shared_governance | own_region
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def subject_organisations(subject) -> list[Organisation]:
    """The organisations a subject stands for: itself, or its lead, applicant and partners.

    A model may say it exactly with a `grid_organisations()` method."""
    if subject is None:
        return []
    if isinstance(subject, Organisation):
        return [subject]
    if hasattr(subject, "grid_organisations"):
        return list(subject.grid_organisations())
    found = []
    for name in ("organisation", "lead_organisation", "applicant"):
        value = getattr(subject, name, None)
        if isinstance(value, Organisation):
            found.append(value)
    partners = getattr(subject, "partner_organisations", None)
    if partners is not None:
        found += list(partners.all())
    return found


def evaluator_organisations(user) -> list[Organisation]:
    ids = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    return list(Organisation.objects.filter(pk__in=ids))


def _lineage(organisation: Organisation) -> set[int]:
    """The organisation and the parents above it (bounded: the registry forbids only self)."""
    ids, current = set(), organisation
    while current is not None and current.pk not in ids and len(ids) < 10:
        ids.add(current.pk)
        current = current.parent
    return ids


def _region(territory: Territory | None) -> Territory | None:
    seen = 0
    while territory is not None and seen < 6:
        if territory.level in REGION_LEVELS:
            return territory
        territory, seen = territory.parent, seen + 1
    return None


def _cutoff(today: date | None) -> date:
    today = today or timezone.localdate()
    return today - timedelta(days=365 * YEARS + 1)


def same_organisation(mine: list, theirs: list) -> list[Conflict]:
    found = []
    for own in mine:
        for other in theirs:
            if _lineage(own) & _lineage(other):
                found.append(
                    Conflict(
                        "same_organisation",
                        _("%(own)s e %(other)s sono lo stesso ente o appartengono allo stesso.")
                        % {"own": own, "other": other},
                    )
                )
    return found


def common_project(mine: list, theirs: list, today: date | None = None) -> list[Conflict]:
    cutoff = _cutoff(today)
    recent = (Q(end_date__isnull=True) | Q(end_date__gte=cutoff)) & (
        Q(project__end_date__isnull=True) | Q(project__end_date__gte=cutoff)
    )
    rows = Partnership.objects.filter(recent)
    own_projects = set(rows.filter(organisation__in=mine).values_list("project_id", flat=True))
    shared = rows.filter(organisation__in=theirs, project_id__in=own_projects).select_related(
        "project", "organisation"
    )
    return [
        Conflict(
            "common_project",
            _("Partner nello stesso progetto negli ultimi %(years)s anni: %(project)s (%(org)s).")
            % {"years": YEARS, "project": row.project, "org": row.organisation},
        )
        for row in shared
    ]


def shared_governance(mine: list, theirs: list, today: date | None = None) -> list[Conflict]:
    cutoff = _cutoff(today)
    roles = GoverningRole.objects.filter(role__in=GOVERNING).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=cutoff)
    )
    own = list(roles.filter(organisation__in=mine))
    other = list(roles.filter(organisation__in=theirs).select_related("network", "organisation"))
    found = []
    for a in own:
        for b in other:
            if a.network_id == b.network_id and _overlap(a, b):
                found.append(
                    Conflict(
                        "shared_governance",
                        _("Ruoli di governo nella stessa rete: %(network)s (%(org)s, %(role)s).")
                        % {
                            "network": b.network,
                            "org": b.organisation,
                            "role": b.get_role_display(),
                        },
                    )
                )
    return found


def _overlap(a: GoverningRole, b: GoverningRole) -> bool:
    start_a, end_a = a.start_date or date.min, a.end_date or date.max
    start_b, end_b = b.start_date or date.min, b.end_date or date.max
    return start_a <= end_b and start_b <= end_a


def own_region(mine: list, theirs: list) -> list[Conflict]:
    own = {r.pk: r for r in (_region(o.territory) for o in mine) if r is not None}
    found = []
    for other in theirs:
        region = _region(other.territory)
        if region is not None and region.pk in own:
            found.append(
                Conflict(
                    "own_region",
                    _("Premio interregionale: %(org)s è nella regione del valutatore (%(region)s).")
                    % {"org": other, "region": region},
                )
            )
    return found


def detect(user, subject, *, interregional: bool = False, today: date | None = None):
    """Every conflict the registry shows between `user` as evaluator and `subject`."""
    mine, theirs = evaluator_organisations(user), subject_organisations(subject)
    if not mine or not theirs:
        return []
    found = same_organisation(mine, theirs)
    found += common_project(mine, theirs, today)
    found += shared_governance(mine, theirs, today)
    if interregional:
        found += own_region(mine, theirs)
    return found
