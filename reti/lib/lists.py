"""One pattern for every list page: filters, pages, downloads (docs/architecture.md, "Lists").

A list view declares a `FilterForm` (its URL parameters, English, named as the API's filters),
a `tabular.Table` (its download) and an ordering, and answers with `respond`:

    class NetworkFilters(lists.FilterForm):
        period = lists.code()
        status = forms.ChoiceField(required=False, choices=Network.Status.choices)

    @require_safe
    @lists.filtered_by(NetworkFilters)
    def network_list(request, filters):
        queryset = filters.filter(Network.objects.all(), queries.filter_networks)
        return lists.respond(request, filters, queryset, NETWORKS, "portal/networks/list.html",
                             ordering=("name_it", "pk"))

- **Filters** are read only by the form. What it does not understand (an unknown parameter, a
  value its field refuses, a code the query does not know, a repeated parameter) is never
  silently dropped and never a 500: the page shows it (`filters.problems`, rendered by
  `lists/problems.html`) and lists without it; a download answers 400 naming it.
- **Pages** are keyset pages (`?after=<id>`, `?before=<id>`): the rows after the row of that
  id in the list's ordering, one index range however deep the page and no COUNT(*). A list
  ranked by relevance pages through its ranked ids the same way (`keyset_of_ids`).
- **Downloads** are the page's URL with `?format=` (reti.lib.tabular): every filtered row, all
  pages, in the list's order.
- **Old parameter names** (Italian, or a page number) answer a 301 to the same list with the
  new names, so bookmarks keep working (`filtered_by`).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from reti.lib import tabular
from reti.lib.forms import PlainTextForm

PAGE_SIZE = 25
AFTER, BEFORE = "after", "before"
# Parameters that move through a list without filtering it.
PAGING = (AFTER, BEFORE)
PASSING = (*PAGING, tabular.PARAM)
# Codes, slugs and searched words are short; a longer value is not a filter the site knows.
MAX_VALUE_LENGTH = 200
# The names the lists used before they all spoke the API's English: old -> new. An empty new
# name drops the parameter: a page number names no rows under keyset paging, so an old link to
# page 3 lands on the first page of the same filtered list.
RENAMED: Mapping[str, str] = {
    tabular.LEGACY_PARAM: tabular.PARAM,
    "dopo": AFTER,
    "pagina": "",
    "page": "",
    "tema": "theme",
    "regione": "region",
    "periodo": "period",
    "rete": "network",
    "destinatari": "target_group",
    "tipo": "kind",
    "stato": "status",
    "mese": "month",
}


def code(max_length: int = 100) -> forms.CharField:
    """A code or slug, looked up by the list's query: one it does not know is reported then."""
    return forms.CharField(required=False, max_length=max_length)


def _plausible(value: str) -> bool:
    # PostgreSQL refuses NUL in text: such a value must never reach a query.
    return len(value) <= MAX_VALUE_LENGTH and value.isprintable()


class FilterForm(PlainTextForm, forms.Form):
    """A list's filters, bound to the query string, reporting what it did not understand.

    Subclasses declare one optional field per URL parameter; `renamed` adds the list's own old
    names to RENAMED. Empty values mean "any" (an empty select of the form). Paging and
    `format` pass through.
    """

    renamed: ClassVar[Mapping[str, str]] = {}
    # Labels of the parameters in the messages (the URL name when missing).
    labels: ClassVar[Mapping[str, str]] = {}

    def __init__(self, params: QueryDict):
        self.params = params
        self._raw: dict[str, list[str]] = {}
        bound = {}
        for name, values in params.lists():
            values = [v.strip() for v in values if v.strip()]
            if values:
                self._raw[name] = values
            if name in self.base_fields and len(values) == 1 and _plausible(values[0]):
                bound[name] = values[0]
        super().__init__(bound)
        self._looked_up: list[tuple[str, str]] = []
        self.is_valid()
        self._cursors = {name: self._cursor(name) for name in PAGING}

    def _cursor(self, name: str) -> int | None:
        value = self._raw.get(name, [""])[0]
        if value.isdigit() and len(value) < 19 and int(value) > 0:
            return int(value)
        return None

    @property
    def after(self) -> int | None:
        return self._cursors[AFTER]

    @property
    def before(self) -> int | None:
        return self._cursors[BEFORE]

    @property
    def applied(self) -> dict[str, str]:
        """The filters applied, as their URL values (for links, downloads and the JSON)."""
        refused = {name for name, _value in self._looked_up}
        return {
            name: self.data[name]
            for name in self.data
            if name not in self.errors and name not in refused
        }

    @property
    def values(self) -> dict:
        """The applied filters' cleaned values."""
        return {name: self.cleaned_data[name] for name in self.applied}

    @property
    def not_understood(self) -> list[tuple[str, str]]:
        """(parameter, value) pairs the list did not apply, in the order of the URL."""
        out = []
        for name, values in self._raw.items():
            if name == tabular.PARAM:
                continue
            if name in PAGING:
                if len(values) > 1 or self._cursors[name] is None:
                    out += [(name, v) for v in values]
            elif name not in self.data:
                out += [(name, v) for v in values]
            elif name in self.errors:
                out.append((name, values[0]))
        return out + self._looked_up

    @property
    def problems(self) -> list[str]:
        """The messages a page shows for what it did not understand."""
        problems = []
        for name, value in self.not_understood:
            problem = _("Filtro non riconosciuto, non applicato: %(filter)s") % {
                "filter": f"{name}={value}"
            }
            if name in self.labels:
                problem += f" ({self.labels[name]})"
            problems.append(problem)
        return problems

    def refuse(self, name: str) -> None:
        """Report the applied filter `name` as not understood (a code no record has)."""
        if name in self.data and name in self.applied:
            self._looked_up.append((name, self.data[name]))

    def filter(self, queryset, query: Callable, **names: str):
        """`query(queryset, **values)`; a filter whose code the query does not know (a
        ValidationError keyed by its name) is reported, dropped, and the rest applied.
        `names` maps a form field to the query's argument when they differ."""
        while True:
            values = {names.get(name, name): value for name, value in self.values.items()}
            try:
                return query(queryset, **values)
            except ValidationError as error:
                argument = next(iter(error.error_dict))
                field_name = next((f for f, a in names.items() if a == argument), argument)
                if field_name not in self.applied:
                    raise
                self.refuse(field_name)

    def query(self, **extra) -> str:
        """The query string of the applied filters with `extra` (None values left out)."""
        params = {**self.applied, **{k: v for k, v in extra.items() if v is not None}}
        return urlencode(params)


def renamed_url(request, renamed: Mapping[str, str]) -> str | None:
    """The URL of this list with the new parameter names, or None when none is old."""
    if not any(name in renamed for name in request.GET):
        return None
    params = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        new = renamed.get(name, name)
        if new and new not in params:
            params.setlist(new, values)
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


def filtered_by(form_class: type[FilterForm]):
    """Decorate a list view: old parameter names answer a 301 to the new URL; otherwise the
    view is called as `view(request, filters, ...)` with the bound `form_class`."""
    renamed = {
        old: new
        for old, new in {**RENAMED, **form_class.renamed}.items()
        if old not in form_class.base_fields and old not in PASSING
    }

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            target = renamed_url(request, renamed) if request.method in ("GET", "HEAD") else None
            if target is not None:
                return HttpResponsePermanentRedirect(target)
            return view(request, form_class(request.GET), *args, **kwargs)

        wrapper.filter_form = form_class
        return wrapper

    return decorate


@dataclass
class Page:
    """A page of rows with the ids to continue from in either direction."""

    rows: list
    next_after: int | None = None
    previous_before: int | None = None
    first: bool = True
    links: dict[str, str] = field(default_factory=dict)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_after or self.previous_before or not self.first)


def _fields(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    fields = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    if fields[-1][0] not in ("pk", "id"):
        raise ValueError("A keyset ordering ends with the primary key.")
    return [("pk" if name == "id" else name, desc) for name, desc in fields]


def _beyond(fields: list[tuple[str, bool]], values: dict, forward: bool) -> Q:
    """Rows strictly beyond the cursor's `values` in the ordering `fields` (or before it)."""
    condition = Q()
    equal = Q()
    for name, desc in fields:
        op = "lt" if desc == forward else "gt"
        condition |= equal & Q(**{f"{name}__{op}": values[name]})
        equal &= Q(**{name: values[name]})
    first, desc = fields[0]
    # The leading bound lets the database start the index scan at the cursor.
    bound = "lte" if desc == forward else "gte"
    return Q(**{f"{first}__{bound}": values[first]}) & condition


def keyset(
    queryset, size: int, ordering: Sequence[str], *, after: int | None, before: int | None
) -> Page:
    """The page of `queryset` in `ordering` (non-null fields ending with the primary key) after
    the row of id `after` or before the one of id `before` (`?after=`, `?before=`, read by the
    FilterForm); a cursor that names no row gives the first page."""
    fields = _fields(ordering)
    cursor, forward = (before, False) if before is not None else (after, True)
    values = None
    if cursor is not None:
        values = (
            queryset.model._default_manager.filter(pk=cursor)
            .values(*(name for name, _desc in fields))
            .first()
        )
    if values is None:
        rows = list(queryset.order_by(*ordering)[: size + 1])
        return Page(rows[:size], rows[size - 1].pk if len(rows) > size else None)
    reverse = [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]
    beyond = queryset.filter(_beyond(fields, values, forward))
    rows = list(beyond.order_by(*(ordering if forward else reverse))[: size + 1])
    return _page(rows, size, forward)


def _page(rows: list, size: int, forward: bool) -> Page:
    more = len(rows) > size
    rows = rows[:size]
    if forward:
        return Page(
            rows, rows[-1].pk if rows and more else None, rows[0].pk if rows else None, False
        )
    rows.reverse()
    return Page(
        rows, rows[-1].pk if rows else None, rows[0].pk if rows and more else None, not more
    )


def keyset_of_ids(
    ids: Sequence[int], size: int, load: Callable, *, after: int | None, before: int | None
) -> Page:
    """The same pages over a list ranked by relevance: `ids` in rank order, `load(ids)` the
    rows of a page in that order. The cursor is the id of a row, found in the ranking."""
    position = {pk: i for i, pk in enumerate(ids)}
    start = 0
    if before is not None and before in position:
        end = position[before]
        start = max(0, end - size)
        chosen = ids[start:end]
        page = Page(load(chosen), chosen[-1] if chosen else None, None, start == 0)
        page.previous_before = chosen[0] if chosen and start > 0 else None
        return page
    if after is not None and after in position:
        start = position[after] + 1
    chosen = ids[start : start + size]
    more = start + size < len(ids)
    return Page(
        load(chosen),
        chosen[-1] if chosen and more else None,
        chosen[0] if chosen and start > 0 else None,
        start == 0,
    )


def page_links(request, filters: FilterForm, page: Page) -> dict[str, str]:
    """The URLs of the first, previous and next pages (only those that exist)."""
    path = request.path
    links = {}
    if not page.first:
        links["first"] = f"{path}?{filters.query()}".rstrip("?")
    if page.previous_before:
        links["previous"] = f"{path}?{filters.query(**{BEFORE: page.previous_before})}"
    if page.next_after:
        links["next"] = f"{path}?{filters.query(**{AFTER: page.next_after})}"
    return links


def respond(
    request,
    filters: FilterForm,
    queryset,
    table: tabular.Table,
    template: str,
    context: Mapping | None = None,
    *,
    ordering: Sequence[str] = ("-pk",),
    size: int = PAGE_SIZE,
    page: Page | None = None,
    records: Iterable | Callable[[], Iterable] | None = None,
    formats: Sequence[str] = tabular.ALL,
):
    """The list's page, or with `?format=` its download: every row of `queryset` in `ordering`
    (or `records`, for a list that is not one queryset), all pages.

    The template receives `filters`, `page` (rows, links), `problems` and `downloads`; give a
    ready `page` for a ranked list (keyset_of_ids).
    """
    if tabular.requested(request):
        if records is None:
            rows = queryset.order_by(*ordering).iterator(chunk_size=2000)
        else:
            rows = records() if callable(records) else records
        return tabular.download(
            request,
            table,
            rows,
            filters=filters.applied,
            refused=filters.not_understood,
            formats=formats,
        )
    if page is None:
        page = keyset(queryset, size, ordering, after=filters.after, before=filters.before)
    page.links = page_links(request, filters, page)
    full = {
        "filters": filters,
        "page": page,
        "problems": filters.problems,
        "downloads": tabular.links(request.path, filters.applied, formats),
        **(context or {}),
    }
    return render(request, template, full)
