"""Turning a request body into a record and handing it to an action.

The API only parses: references are resolved to records (an unknown one is a 400 naming the
field), then `reti.registry.actions` checks permission, validates, saves and stamps the audit
trail with the token's user and the reason "api".
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from .. import actions, permissions
from ..models import Territory
from .errors import BadRequest, RecordValidationError

REASON = "api"


@dataclass(frozen=True)
class Ref:
    """A body field naming other records: by `key` (pk, code...), one or `many`."""

    model: type[models.Model]
    key: str = "pk"
    many: bool = False

    def resolve(self, field: str, value):
        if self.many:
            found = {
                getattr(o, self.key): o
                for o in self.model.objects.filter(**{f"{self.key}__in": value})
            }
            missing = [v for v in value if v not in found]
            if missing:
                raise BadRequest(field, f"Unknown {field}: {', '.join(map(str, missing))}")
            return [found[v] for v in dict.fromkeys(value)]
        if value is None:
            return None
        try:
            if self.model is Territory:
                return Territory.objects.by_code(value)
            return self.model.objects.get(**{self.key: value})
        except (self.model.DoesNotExist, self.model.MultipleObjectsReturned):
            raise BadRequest(field, f"Unknown {field}: {value}") from None


def apply(obj, data: dict, refs: dict[str, Ref]) -> dict[str, list]:
    """Set `data` on `obj`; returns the many-to-many values to set after saving."""
    m2m = {}
    for field, value in data.items():
        ref = refs.get(field)
        if ref is not None and ref.many:
            m2m[field] = ref.resolve(field, value or [])
            continue
        if ref is not None:
            setattr(obj, field, ref.resolve(field, value))
            continue
        if isinstance(value, list):
            # Line lists (priorities) are stored one a line.
            value = "\n".join(item.strip() for item in value if item.strip())
        if value is None and _blank_not_null(obj, field):
            value = ""
        setattr(obj, field, value)
    return m2m


def _blank_not_null(obj, field: str) -> bool:
    model_field = obj._meta.get_field(field)
    return isinstance(model_field, models.CharField | models.TextField) and not model_field.null


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
