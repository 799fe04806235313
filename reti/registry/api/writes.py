"""Handing a record parsed from a request body to the registry's actions.

The API only parses (`reti.lib.api.writes`: references resolved to records, an unknown one a
400 naming the field), then `reti.registry.actions` checks permission, validates, saves and
stamps the audit trail with the token's user and the reason "api".
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError

from reti.lib.api.errors import RecordValidationError

from .. import actions, permissions

REASON = "api"


def check_can_edit(user, obj) -> None:
    """Refuse a change before reading its body, so a stranger gets 403 whatever they send."""
    if not permissions.can_edit_record(user, obj):
        raise PermissionDenied("You do not edit this record.")


def run(action, user, obj, **kwargs):
    """Call an action; its validation errors come back naming the fields."""
    try:
        return action(user, obj, reason=REASON, **kwargs)
    except DjangoValidationError as exc:
        raise RecordValidationError(exc, type(obj)) from exc


def delete(user, obj) -> None:
    check_can_edit(user, obj)
    run(actions.delete_record, user, obj)
