"""Who may change what in the registry: the one place these rules live.

- staff (is_staff with the registry's model permissions, or superusers) change everything
  (`is_registry_staff`, `is_editor` and `editable_organisation_ids` are the accounts' rules,
  reti/accounts/permissions.py, imported here);
- an editor or admin of an organisation changes that organisation and the projects it leads;
- an editor or admin of an organisation holding a network's current secretariat changes the
  network, its roles, links, working groups and actions;
- everyone, anonymous included, may read the registry: it is public information.
"""

from django.db.models import Q

# Who is staff, an editor, and of which organisations comes from the memberships (accounts);
# the names stay importable from here, where every app reads the registry's rules.
from reti.accounts.permissions import (
    editable_organisation_ids,
    is_editor,
    is_registry_staff,
)

from .models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
    WorkingGroup,
)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    if is_registry_staff(user):
        return True
    return organisation.pk is not None and organisation.pk in editable_organisation_ids(user)


def can_edit_project(user, project: Project) -> bool:
    if is_registry_staff(user):
        return True
    orgs = editable_organisation_ids(user)
    if not orgs or project.pk is None:
        return False
    return Partnership.objects.filter(
        project=project, role=Partnership.Role.LEAD, organisation_id__in=orgs
    ).exists()


def can_create_project(user, lead: Organisation | None) -> bool:
    """Staff create any project; an editor creates projects their organisation leads."""
    if is_registry_staff(user):
        return True
    return lead is not None and lead.pk in editable_organisation_ids(user)


def secretariat_network_ids(user) -> set[int]:
    orgs = editable_organisation_ids(user)
    if not orgs:
        return set()
    return set(
        GoverningRole.objects.filter(
            role=GoverningRole.Role.SECRETARIAT, organisation_id__in=orgs, end_date__isnull=True
        ).values_list("network_id", flat=True)
    )


def can_edit_network(user, network: Network) -> bool:
    if is_registry_staff(user):
        return True
    return network.pk is not None and network.pk in secretariat_network_ids(user)


def can_create_network(user) -> bool:
    return is_registry_staff(user)


def can_edit_record(user, obj) -> bool:
    """Whether `user` may change or delete `obj`, any registry record."""
    if is_registry_staff(user):
        return True
    if obj is None:
        return is_editor(user)
    if isinstance(obj, Organisation):
        return can_edit_organisation(user, obj)
    if isinstance(obj, Project):
        return can_edit_project(user, obj)
    if isinstance(obj, Network):
        return can_edit_network(user, obj)
    if isinstance(obj, GoverningRole | WorkingGroup):
        return can_edit_network(user, obj.network)
    if isinstance(obj, NetworkLink):
        return can_edit_network(user, obj.from_network)
    if isinstance(obj, Partnership):
        return can_edit_project(user, obj.project)
    if isinstance(obj, Action):
        if obj.project_id:
            return can_edit_project(user, obj.project)
        return can_edit_network(user, obj.network)
    return False


def editable_projects_q(user) -> Q:
    """A filter for the projects `user` may edit (for the back office's lists)."""
    if is_registry_staff(user):
        return Q()
    return Q(
        partnerships__role=Partnership.Role.LEAD,
        partnerships__organisation_id__in=editable_organisation_ids(user),
    )


def can_edit_territories(user) -> bool:
    """Territories come from the official ISTAT list and its loader: only superusers type them."""
    return bool(user and user.is_active and user.is_superuser)
