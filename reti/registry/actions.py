"""Use cases of the registry: check permission, validate, change state in a transaction.

The audit trail (`reti.lib.audit`) records every save and delete with the acting user and
the reason given here; views, the API, the admin and commands all come through these.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reti.lib import audit

from . import permissions
from .models import Network, Organisation, Partnership, Project


@transaction.atomic
def save_organisation(user, organisation: Organisation, *, reason: str = "") -> Organisation:
    """Create or update an organisation; new ones are staff-only."""
    if organisation.pk is None:
        if not permissions.is_registry_staff(user):
            raise PermissionDenied("Only staff register new organisations.")
    elif not permissions.can_edit_organisation(user, organisation):
        raise PermissionDenied("You do not edit this organisation.")
    audit.save(organisation, user, reason)
    return organisation


@transaction.atomic
def save_network(
    user, network: Network, *, m2m: dict[str, Iterable] | None = None, reason: str = ""
) -> Network:
    """Create (staff) or update (staff or the network's secretariat) a network."""
    allowed = (
        permissions.can_create_network(user)
        if network.pk is None
        else permissions.can_edit_network(user, network)
    )
    if not allowed:
        raise PermissionDenied("You do not edit this network.")
    audit.save(network, user, reason, m2m=m2m)
    return network


@transaction.atomic
def save_project(
    user,
    project: Project,
    *,
    lead: Organisation | None = None,
    m2m: dict[str, Iterable] | None = None,
    reason: str = "",
) -> Project:
    """Create or update a project; a new one made by an editor is led by their organisation."""
    creating = project.pk is None
    if creating:
        if not permissions.can_create_project(user, lead):
            raise PermissionDenied("You may only create projects your organisation leads.")
    elif not permissions.can_edit_project(user, project):
        raise PermissionDenied("You do not edit this project.")
    audit.save(project, user, reason, m2m=m2m)
    if creating and lead is not None:
        partnership = Partnership(project=project, organisation=lead, role=Partnership.Role.LEAD)
        audit.save(partnership, user, reason)
    return project


@transaction.atomic
def save_record(user, obj, *, m2m: dict[str, Iterable] | None = None, reason: str = ""):
    """Create or update a record hanging from a network or a project (role, link, partner...).

    Permission follows the parent: a network's secretariat edits its roles and groups, a
    project's lead edits its partnerships and actions.
    """
    if not permissions.can_edit_record(user, obj):
        raise PermissionDenied("You do not edit this record.")
    if obj.pk is not None:
        # The parent may have changed in the edit: check the stored one too.
        stored = type(obj).objects.get(pk=obj.pk)
        if not permissions.can_edit_record(user, stored):
            raise PermissionDenied("You do not edit this record.")
    audit.save(obj, user, reason, m2m=m2m)
    return obj


@transaction.atomic
def delete_record(user, obj, *, reason: str = "") -> None:
    """Delete a registry record; the audit trail keeps its last state."""
    if not permissions.can_edit_record(user, obj):
        raise PermissionDenied("You do not delete this record.")
    if isinstance(obj, Organisation | Network) and not permissions.is_registry_staff(user):
        raise PermissionDenied("Only staff delete organisations and networks.")
    audit.delete(obj, user, reason)
