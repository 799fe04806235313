"""Use cases of monitoring: check permission, change state in a transaction, audit it.

Interventions and indicator definitions are audited by django-simple-history (acting user and
reason stamped here); participant records are audited by their import batch and by the
access log (`log_access`), never by simple-history.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import permissions
from .models import IndicatorDefinition, Intervention, ParticipantAccessLog


def _stamp(obj, user, reason: str) -> None:
    """Tell the audit trail who acts and why (simple-history reads these attributes)."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason


@transaction.atomic
def save_intervention(user, intervention: Intervention, *, m2m=None, reason: str = ""):
    """Create (staff) or change (staff, the owner's editors) an intervention."""
    if not permissions.can_edit_intervention(user, intervention):
        raise PermissionDenied("You do not edit this intervention.")
    if intervention.pk is not None:
        stored = Intervention.objects.get(pk=intervention.pk)
        if not permissions.can_edit_intervention(user, stored):
            raise PermissionDenied("You do not edit this intervention.")
    intervention.full_clean()
    _stamp(intervention, user, reason)
    intervention.save()
    for field, values in (m2m or {}).items():
        getattr(intervention, field).set(values)
    return intervention


@transaction.atomic
def save_intervention_part(user, obj, *, reason: str = ""):
    """Create or change a row hanging from an intervention (target group, target, entity)."""
    if not permissions.can_edit_intervention(user, obj.intervention):
        raise PermissionDenied("You do not edit this intervention.")
    obj.full_clean()
    _stamp(obj, user, reason)
    obj.save()
    return obj


@transaction.atomic
def delete_intervention_part(user, obj, *, reason: str = "") -> None:
    """Delete a row hanging from an intervention; the audit trail keeps its last state."""
    if not permissions.can_edit_intervention(user, obj.intervention):
        raise PermissionDenied("You do not edit this intervention.")
    _stamp(obj, user, reason)
    obj.delete()


@transaction.atomic
def save_indicator(user, indicator: IndicatorDefinition, *, reason: str = ""):
    """Create or change an indicator definition (staff: programme-specific indicators)."""
    if not permissions.can_edit_indicators(user):
        raise PermissionDenied("You do not edit indicator definitions.")
    indicator.full_clean()
    _stamp(indicator, user, reason)
    indicator.save()
    return indicator


def log_access(user, action: str, what: str, *, intervention=None, count=0, channel=""):
    """Write one line of the participant data access log (reads, exports, refusals...)."""
    return ParticipantAccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        intervention=intervention,
        what=what[:300],
        record_count=count,
        channel=channel,
    )
