"""Helpers shared by the portal's lists: checked filters and keyset pages.

Filters reuse the API's schemas (reti/registry/api/filters.py), so the site and the API accept
the same values. Parameters the list does not know are collected and shown back to the user.
"""

from dataclasses import dataclass, field

from pydantic import ValidationError

from reti.lib.api.errors import BadRequest


@dataclass
class ParsedFilters:
    values: dict
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_filters(request, names: dict[str, str], reserved: set[str]) -> ParsedFilters:
    """Read `names` (URL parameter -> schema field) from the query string.

    Empty values count as absent; parameters neither in `names` nor in `reserved` (paging,
    format) are returned in `unknown`.
    """
    parsed = ParsedFilters(values={})
    for param in request.GET:
        value = request.GET.get(param, "").strip()
        if param in names:
            if value:
                parsed.values[names[param]] = value
        elif param not in reserved:
            parsed.unknown.append(param)
    return parsed


def build_schema(schema, parsed: ParsedFilters, labels: dict[str, str]):
    """The schema instance, dropping each invalid value with a message in `parsed.errors`."""
    values = dict(parsed.values)
    while True:
        try:
            return schema(**values)
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0])
                parsed.errors.append(f"{labels.get(name, name)}: {values.pop(name, '')!s}")
                values.pop(name, None)


def apply_filters(filter_fn, queryset, filters, parsed: ParsedFilters, labels: dict[str, str]):
    """`filter_fn(queryset, filters)`, dropping filters whose codes are unknown."""
    while True:
        try:
            return filter_fn(queryset, filters)
        except BadRequest as exc:
            name = exc.errors[0]["field"]
            parsed.errors.append(f"{labels.get(name, name)}: {getattr(filters, name)}")
            setattr(filters, name, None)
