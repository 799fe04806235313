"""Filters and keyset pages for the networks' and projects' lists.

The API answers 400 to a filter it does not understand; a page cannot, so here every
parameter is checked by the list's form (reti/portal/forms.py) and the ones the site does not
understand are collected and shown back to the user instead of being applied (or silently
dropped).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import QueryDict
from django.utils.http import urlencode

from reti.lib import tabular

# Parameters that move through a list without filtering it (paging, the download format).
PAGING = ("page", "after", "before", tabular.PARAM)
# Codes and slugs are short; longer values are not filters the site knows.
MAX_VALUE_LENGTH = 100


def _plausible(value: str) -> bool:
    # PostgreSQL refuses NUL in text: such a value must never reach a query.
    return len(value) <= MAX_VALUE_LENGTH and value.isprintable()


@dataclass
class Filtered:
    """A filtered queryset, the filters applied and the ones not understood."""

    queryset: object
    applied: dict[str, str]
    unrecognised: list[tuple[str, str]] = field(default_factory=list)

    def query(self, **extra) -> str:
        """The query string of the applied filters, with `extra` (None values left out)."""
        params = {**self.applied, **{k: v for k, v in extra.items() if v is not None}}
        return urlencode(params)


def apply_filters(params: QueryDict, queryset, form_class: type[Form], apply: Callable) -> Filtered:
    """Filter `queryset` by the parameters `form_class` knows, each checked by its field and
    applied by the query `apply(queryset, **values)`; anything else is returned as
    unrecognised."""
    candidates = {}
    for name, values in params.lists():
        values = [v.strip() for v in values if v.strip()]
        if name in form_class.base_fields and len(values) == 1 and _plausible(values[0]):
            candidates[name] = values[0]
    form = form_class(candidates)
    form.is_valid()
    applied, unrecognised = {}, []
    for name, values in params.lists():
        if name in PAGING:
            continue
        values = [v.strip() for v in values if v.strip()]
        if not values:  # an empty select of the form means "any"
            continue
        if name not in candidates:
            unrecognised += [(name, v) for v in values]
        elif name in form.errors:
            unrecognised.append((name, values[0]))
        else:
            applied[name] = values[0]
    # Codes (period, theme, territory, fund) are looked up while filtering: drop the one
    # the database does not know and filter again.
    while True:
        try:
            filtered = apply(queryset, **{name: form.cleaned_data[name] for name in applied})
        except ValidationError as error:
            name = next(iter(error.error_dict))
            unrecognised.append((name, applied.pop(name)))
            continue
        return Filtered(filtered, applied, unrecognised)


def parse_id(value: str | None) -> int | None:
    """A positive id from a paging parameter, or None."""
    if value and value.isdigit() and len(value) < 19:
        return int(value)
    return None


@dataclass
class KeysetPage:
    """A page of rows, newest id first, with the ids to link the neighbouring pages."""

    rows: list
    next_after: int | None
    previous_before: int | None


def keyset_page(queryset, params: QueryDict, size: int) -> KeysetPage:
    """Rows by descending id after `?after=<id>` or before `?before=<id>`: one index range
    however deep the page, and no COUNT(*)."""
    after, before = parse_id(params.get("after")), parse_id(params.get("before"))
    if before is not None:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows,
            next_after=rows[-1].pk if rows else None,
            previous_before=rows[0].pk if rows and more_before else None,
        )
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    rows = list(queryset.order_by("-pk")[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        next_after=rows[-1].pk if rows and more_after else None,
        previous_before=rows[0].pk if rows and after is not None else None,
    )
