"""CSV and JSON downloads of a list, streamed so that millions of rows never sit in memory.

CSV: comma-separated (RFC 4180, what most tools expect; Excel reads it thanks to the BOM),
UTF-8 with a byte-order mark so that Excel shows accents, Italian headers. JSON: an object
with the filters applied and the rows, same fields as the CSV under the same names.
"""

import csv
import json
from collections.abc import Callable, Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

BOM = "\ufeff"
CHUNK = 2000
FORMATS = ("csv", "json")


class _Echo:
    def write(self, value):
        return value


def _rows(queryset, row: Callable) -> Iterable[dict]:
    # Values in Italian, like the headers, whatever the language of the page.
    with translation.override("it"):
        for record in queryset.iterator(chunk_size=CHUNK):
            yield row(record)


def _csv(headers: list[str], rows: Iterable[dict]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(headers)
    for item in rows:
        yield writer.writerow(item.values())


def _json(filters: dict, rows: Iterable[dict]) -> Iterable[str]:
    yield '{"filtri": ' + json.dumps(filters, ensure_ascii=False) + ', "righe": ['
    separator = ""
    for item in rows:
        yield separator + json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"


def download(filtered, fmt: str, name: str, headers: list[str], row: Callable) -> HttpResponse:
    """The rows of `filtered` (a listing.Filtered) as a streamed CSV or JSON attachment;
    400 when the request carries filters the site does not understand."""
    if filtered.unrecognised:
        names = ", ".join(f"{key}={value}" for key, value in filtered.unrecognised)
        return HttpResponse(
            _("Filtro non riconosciuto: %(filters)s") % {"filters": names},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = _rows(filtered.queryset, row)
    if fmt == "csv":
        body, content_type = _csv(headers, rows), "text/csv; charset=utf-8"
    else:
        body, content_type = _json(filtered.applied, rows), "application/json"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
