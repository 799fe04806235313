"""Turning a request body into a record: references resolved, values set, before an action.

An unknown reference is a 400 naming the field; the app's action then checks permission,
validates and saves.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .errors import BadRequest


@dataclass(frozen=True)
class Ref:
    """A body field naming other records: by `key` (pk, code...), one or `many`.

    `get`, when given, finds one record from the value instead of `key` (e.g.
    `Territory.objects.by_code`, which reads ISTAT, NUTS and ISO codes alike).
    """

    model: type[models.Model]
    key: str = "pk"
    many: bool = False
    get: Callable[[Any], models.Model] | None = None

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
            if self.get is not None:
                return self.get(value)
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
