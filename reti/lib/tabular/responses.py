"""One way to ask for a download on the whole site: the page's own URL with `?format=`.

`/it/organizzazioni/?region=09&format=csv` downloads every organisation the page lists for
Toscana (all pages, not the one shown); `format` is `csv` (Italian Excel), `csv-intl`,
`xlsx` or `json`. A table with no page of its own (an intervention's participant records, the
import template) has a URL named for it, where `format` may be left out (CSV). Old
`scarica.csv`-style addresses redirect here (`moved`); the old Italian name `formato` is still
read, and the lists (reti.lib.lists) redirect it. docs/architecture.md states the rule.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import schema, writers
from .columns import Table, rows_of

PARAM = "format"
# The name used before the site's parameters spoke English, still read.
LEGACY_PARAM = "formato"


@dataclass(frozen=True)
class Format:
    code: str
    extension: str
    content_type: str
    label: object


FORMATS = {
    f.code: f
    for f in (
        Format("csv", "csv", "text/csv; charset=utf-8", gettext_lazy("CSV (Excel)")),
        Format("csv-intl", "csv", "text/csv; charset=utf-8", gettext_lazy("CSV internazionale")),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX",
        ),
        Format("json", "json", "application/json", "JSON"),
    )
}
ALL = tuple(FORMATS)
# Beside every download, at the same address: its data dictionary as a Data Package.
DICTIONARY = "datapackage"


def asked(request) -> str:
    """The format the request asks for, "" for none."""
    return (request.GET.get(PARAM, "") or request.GET.get(LEGACY_PARAM, "")).strip()


def requested(request) -> bool:
    """True when the request asks for a download rather than the page."""
    return bool(asked(request))


def _plain(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def absolute_urls(table: Table, rows: Iterable[list], site: str):
    places = [i for i, column in enumerate(table.columns) if column.type == "url"]
    for row in rows:
        for i in places:
            if isinstance(row[i], str) and row[i].startswith("/"):
                row[i] = site + row[i]
        yield row


def body(fmt: str, table: Table, rows: Iterable[list], filters: Mapping[str, str]):
    """The bytes of `rows` (lists of values) in format `fmt`, as a generator."""
    if fmt == "csv":
        return writers.csv_chunks(table, rows, writers.ITALIAN)
    if fmt == "csv-intl":
        return writers.csv_chunks(table, rows, writers.INTERNATIONAL)
    if fmt == "xlsx":
        return writers.xlsx_chunks(table, rows, filters)
    if fmt == "json":
        return writers.json_chunks(table, rows, filters)
    raise ValueError(fmt)


def download(
    request,
    table: Table,
    records: Iterable,
    *,
    filters: Mapping[str, str] | None = None,
    refused: Sequence[tuple[str, str]] = (),
    formats: Sequence[str] = ALL,
    default: str = "",
    filename: str = "",
) -> HttpResponse:
    """`records` (read lazily, as the response streams) as the attachment `?format=` asks for.

    400 when the format is not one of `formats`, or when the request carries filters the list
    did not understand (`refused`, as (name, value) pairs): a download never holds more rows
    than asked without saying so. `filters` (the ones applied) go into the JSON and the XLSX
    notes. Values are computed in Italian; site paths in `url` columns become absolute.
    """
    fmt = asked(request) or default
    if fmt == DICTIONARY and "csv" in formats and "csv-intl" in formats:
        return dictionary(request, table, filters or {}, filename or table.name)
    if fmt not in formats:
        return _plain(
            _("Formato non disponibile: %(format)s (formati: %(formats)s)")
            % {"format": fmt, "formats": ", ".join(formats)}
        )
    if refused:
        names = ", ".join(f"{key}={value}" for key, value in refused)
        return _plain(_("Filtro non riconosciuto: %(filters)s") % {"filters": names})
    spec = FORMATS[fmt]
    site = request.build_absolute_uri("/").removesuffix("/")
    rows = absolute_urls(table, rows_of(table, records), site)
    response = StreamingHttpResponse(
        body(fmt, table, rows, filters or {}), content_type=spec.content_type
    )
    name = filename or table.name
    response["Content-Disposition"] = f'attachment; filename="{name}.{spec.extension}"'
    return response


def dictionary(request, table: Table, filters: Mapping[str, str], name: str) -> JsonResponse:
    """The Data Package of the download the request names: the table's dictionary, and the
    page's two CSV downloads with the same filters as its resources."""
    path = request.build_absolute_uri(request.path)
    urls = {fmt: f"{path}?{urlencode({**filters, PARAM: fmt})}" for fmt in ("csv-intl", "csv")}
    response = JsonResponse(
        schema.package(table, name, urls, filters),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'inline; filename="{name}.datapackage.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def links(path: str, filters: Mapping[str, str], formats: Sequence[str] = ALL) -> list[dict]:
    """The download links of a page at `path` showing `filters`, for tabular/downloads.html."""
    return [
        {
            "format": fmt,
            "label": FORMATS[fmt].label,
            "url": f"{path}?{urlencode({**filters, PARAM: fmt})}",
        }
        for fmt in formats
    ] + (
        [
            {
                "format": DICTIONARY,
                "label": gettext_lazy("Dizionario dei dati (Data Package)"),
                "url": f"{path}?{urlencode({**filters, PARAM: DICTIONARY})}",
            }
        ]
        if "csv" in formats and "csv-intl" in formats
        else []
    )


def moved(url_name: str, fmt: str = "") -> Callable:
    """A view that sends an old download address (`.../scarica.csv?x=1`) to the page's URL
    with `?x=1&format=csv`, permanently: links and bookmarks keep working. The format is the
    URL's `fmt` argument, or `fmt` for addresses that named one file."""

    def view(request, fmt: str = fmt, **kwargs):
        params = request.GET.copy()
        params.pop(LEGACY_PARAM, None)
        params[PARAM] = fmt
        target = reverse(url_name, kwargs=kwargs or None)
        return HttpResponsePermanentRedirect(f"{target}?{params.urlencode()}")

    view.__name__ = f"moved_to_{url_name.replace(':', '_')}"
    return view
