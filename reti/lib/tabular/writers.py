"""The writers: CSV (two dialects), XLSX and JSON, each a generator of bytes.

Rows arrive as lists of values (columns.rows_of) and leave in chunks of about 64 kB, so a
download of a million rows holds one chunk in memory, never the file. XLSX is written by
openpyxl in write-only mode (rows go to a temporary file as they come, strings inline, no
shared-string table in memory), then read back in chunks from a temporary file.
"""

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from . import cells
from .columns import Table

CHUNK = 64 * 1024
XLSX_TEXT_LIMIT = 32_767  # the most characters an Excel cell holds


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal_mark: str
    bom: bool
    true: str
    false: str


# What Italian Excel opens with a double click: `;`, decimal comma, UTF-8 told by a BOM.
ITALIAN = Dialect(delimiter=";", decimal_mark=",", bom=True, true="sì", false="no")
# What other programs and other locales expect: `,`, decimal point, plain UTF-8.
INTERNATIONAL = Dialect(delimiter=",", decimal_mark=".", bom=False, true="true", false="false")


class _Buffer(io.StringIO):
    def take(self) -> bytes:
        data = self.getvalue().encode("utf-8")
        self.seek(0)
        self.truncate()
        return data


def csv_chunks(table: Table, rows: Iterable[list], dialect: Dialect) -> Iterator[bytes]:
    """The table as CSV: the header of column names, then one line per row (RFC 4180 quoting,
    CRLF line ends)."""
    out = _Buffer()
    if dialect.bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(table.names)
    for row in rows:
        writer.writerow([cells.text(value, dialect) for value in row])
        if out.tell() > CHUNK:
            yield out.take()
    yield out.take()


def _json_value(value):
    if isinstance(value, dt.datetime):
        return cells.local(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return float(value) if cells.is_number(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def json_chunks(table: Table, rows: Iterable[list], filters: Mapping[str, str]) -> Iterator[bytes]:
    """The table as one JSON object: the filters applied (`filtri`) and the rows (`righe`),
    each an object keyed by column name. Values keep their type; text is not escaped (JSON is
    read by programs, not spreadsheets)."""
    names = table.names
    out = _Buffer()
    out.write('{"filtri": ' + json.dumps(dict(filters), ensure_ascii=False) + ', "righe": [')
    separator = ""
    for row in rows:
        item = {name: _json_value(value) for name, value in zip(names, row, strict=True)}
        out.write(separator + json.dumps(item, ensure_ascii=False))
        separator = ",\n"
        if out.tell() > CHUNK:
            yield out.take()
    out.write("]}\n")
    yield out.take()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or cells.is_number(value) or isinstance(value, bool):
        return value
    if isinstance(value, float | Decimal):  # NaN or infinite
        return None
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, cells.local(value))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))[:XLSX_TEXT_LIMIT])
    # Text stays text: openpyxl would store "=..." as a formula and "#N/A" as an error.
    cell.data_type = "s"
    if cells.risky(cell.value):
        cell.quotePrefix = True
    return cell


def _notes(book, table: Table, filters: Mapping[str, str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(_("note")[:31])
    for letter, width in zip("ABCDEFG", (22, 10, 10, 12, 36, 36, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value)
        cell.font = bold
        return cell

    sheet.append([strong(str(table.title))])
    if table.description:
        sheet.append([str(table.description)])
    made = timezone.localtime().replace(tzinfo=None, microsecond=0)
    sheet.append([_("Scaricato il"), made])
    for name, value in filters.items():
        sheet.append([_("Filtro"), name, _xlsx_cell(sheet, value)])
    sheet.append([])
    heads = (_("campo"), _("tipo"), _("unità"), _("obbligatorio"))
    heads += (_("etichetta (it)"), _("etichetta (en)"), _("descrizione"))
    sheet.append([strong(head) for head in heads])
    for entry in table.dictionary():
        sheet.append(
            [
                entry["field"],
                entry["type"],
                entry["unit"],
                _("sì") if entry["required"] else _("no"),
                entry["label_it"],
                entry["label_en"],
                entry["description_it"],
            ]
        )


def xlsx_chunks(table: Table, rows: Iterable[list], filters: Mapping[str, str]) -> Iterator[bytes]:
    """The table as an XLSX workbook: a sheet of typed cells under a frozen header of column
    names, and a notes sheet (title, date, filters, the data dictionary)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        width = min(max(len(column.name) + 2, 12), 50)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for name in table.names:
        cell = WriteOnlyCell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    _notes(book, table, filters)
    with tempfile.TemporaryFile() as file:
        book.save(file)
        file.seek(0)
        while data := file.read(CHUNK):
            yield data
