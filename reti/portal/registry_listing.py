"""Filters and keyset pages for the networks' and projects' lists, on the API's checked filters.

The API answers 400 to a filter it does not understand; a page cannot, so here every
parameter is checked one by one and the ones the site does not understand are collected and
shown back to the user instead of being applied (or silently dropped).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.http import urlencode
from pydantic import ValidationError

from reti.lib import tabular
from reti.registry.api.errors import BadRequest

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


def apply_filters(
    params: QueryDict,
    queryset,
    schema: type,
    names: tuple[str, ...],
    apply: Callable,
) -> Filtered:
    """Filter `queryset` by the parameters in `names`, checked by the API's `schema` and
    applied by its `apply(queryset, filters)`; anything else is returned as unrecognised."""
    applied, unrecognised = {}, []
    for name, values in params.lists():
        if name in PAGING:
            continue
        values = [v.strip() for v in values if v.strip()]
        if not values:  # an empty select of the form means "any"
            continue
        if name not in names or len(values) > 1 or not _plausible(values[0]):
            unrecognised += [(name, v) for v in values]
            continue
        try:
            schema(**{name: values[0]})
        except ValidationError:
            unrecognised.append((name, values[0]))
            continue
        applied[name] = values[0]
    # Codes (period, theme, territory, fund) are looked up while filtering: drop the one
    # the database does not know and filter again.
    while True:
        try:
            filtered = apply(queryset, schema(**applied))
        except BadRequest as error:
            name = error.errors[0]["field"]
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
