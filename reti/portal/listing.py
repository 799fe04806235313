"""Helpers for the organisations' list: checked filters.

The list's form (reti/portal/forms.py) checks each value; the values go to the registry's
queries. Parameters the list does not know are collected and shown back to the user.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.forms import Form


@dataclass
class ParsedFilters:
    values: dict
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_filters(request, names: dict[str, str], reserved: set[str]) -> ParsedFilters:
    """Read `names` (URL parameter -> form field) from the query string.

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


def clean_filters(form_class: type[Form], parsed: ParsedFilters, labels: dict[str, str]) -> dict:
    """The valid values, cleaned by `form_class`; each invalid one is dropped with a message
    in `parsed.errors`."""
    form = form_class(parsed.values)
    form.is_valid()
    for name in form.errors:
        parsed.errors.append(f"{labels.get(name, name)}: {parsed.values.get(name, '')!s}")
    return {
        name: form.cleaned_data[name]
        for name in parsed.values
        if name in form.cleaned_data and name not in form.errors
    }


def apply_filters(
    filter_fn, queryset, filters: dict, parsed: ParsedFilters, labels: dict[str, str]
):
    """`filter_fn(queryset, **filters)`, dropping filters whose codes are unknown."""
    while True:
        try:
            return filter_fn(queryset, **filters)
        except ValidationError as exc:
            name = next(iter(exc.error_dict))
            parsed.errors.append(f"{labels.get(name, name)}: {filters.pop(name)}")
