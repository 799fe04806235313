"""Reading an uploaded participant file as a stream of rows, whatever its format.

CSV: UTF-8 (with or without BOM) or Windows-1252, told apart on the first 64 KiB; `;`, `,` or
tab, told apart on the header line. XLSX: openpyxl in read-only mode, first sheet (or the one
named "partecipanti"). Rows come one at a time with their spreadsheet row number (header =
row 1), so memory stays bounded whatever the file's size. A file that cannot be read raises
FileProblem naming the row where reading stopped.
"""

import codecs
import csv
import datetime
import io
import itertools
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

SAMPLE = 64 * 1024
BLOCK = 1024 * 1024  # CSV bytes decoded at a time
XLSX_MAGIC = b"PK\x03\x04"
# What openpyxl raises, through zipfile and its XML parser, on a damaged or truncated workbook;
# XlsxSource adds openpyxl's InvalidFileException (openpyxl is imported for XLSX files only).
XLSX_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    TypeError,
)


class FileProblem(Exception):
    """The file as a whole cannot be read: wrong encoding, truncated, empty, not a table."""

    def __init__(self, reason: str, row: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.row = row


def normalise_header(name) -> str:
    """A column name as typed by people: case, accents, spaces and hyphens do not matter."""
    text = unicodedata.normalize("NFKD", str(name or "").strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace(" ", "_").replace("-", "_")


class Source(ABC):
    """An open file: `header`, then `rows()` yielding (row number, values), and `progress()`."""

    header: list[str]

    @abstractmethod
    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number in the file, values) for each data row."""

    @abstractmethod
    def progress(self) -> float:
        """The share of the file read so far, 0 to 1."""

    def close(self) -> None:  # noqa: B027 - optional: most sources hold nothing to release
        """Release what the source holds open."""


def _encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in sample:
        raise FileProblem(
            _("codifica non supportata (sembra UTF-16): salvare il file come CSV UTF-8"), 1
        )
    try:
        # final=False: a multi-byte character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(_("codifica non riconosciuta: né UTF-8 né Windows-1252"), 1) from None
    return "cp1252"


class CsvSource(Source):
    def __init__(self, path: Path):
        self.size = max(path.stat().st_size, 1)
        self.raw = open(path, "rb")  # noqa: SIM115 (closed by close())
        sample = self.raw.read(SAMPLE)
        if not sample.strip(b"\xef\xbb\xbf \r\n\t;,"):
            self.raw.close()
            raise FileProblem(_("il file è vuoto"), 1)
        self.encoding = _encoding(sample)
        self.raw.seek(0)
        first_line = sample.split(b"\n", 1)[0]
        counts = {d: first_line.count(d.encode()) for d in (";", ",", "\t")}
        self.delimiter = max(counts, key=counts.get)
        self.line = 0
        self.reader = csv.reader(self._lines(), delimiter=self.delimiter)
        try:
            self.header = next(self.reader)
        except csv.Error as exc:
            self.close()
            raise FileProblem(self._why(exc), 1) from None

    def _lines(self):
        """Decoded lines, a block of whole lines decoded at a time (the lines themselves are
        split by StringIO, in C). A wrong byte is reported on its exact line, after the lines
        before it were read."""
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self):
        encoding, rest = self.encoding, b""
        while True:
            data = self.raw.read(BLOCK)
            if not data:
                block, rest = rest, b""
            else:
                data = rest + data
                end = data.rfind(b"\n") + 1
                if end == 0:  # no line end yet: a very long line, read on
                    rest = data
                    continue
                block, rest = data[:end], data[end:]
            if not block:
                return
            try:
                text = block.decode(encoding)
            except UnicodeDecodeError as exc:
                start = block.rfind(b"\n", 0, exc.start) + 1
                yield io.StringIO(block[:start].decode(encoding), newline="\n")
                self.line += block.count(b"\n", 0, start) + 1
                raise FileProblem(self._why(exc), self.line) from None
            self.line += block.count(b"\n")
            encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # the BOM opens the file
            yield io.StringIO(text, newline="\n")

    def _why(self, exc) -> str:
        if isinstance(exc, UnicodeDecodeError):
            return _("codifica errata: il file non è tutto %(encoding)s") % {
                "encoding": "UTF-8" if self.encoding.startswith("utf") else "Windows-1252"
            }
        return _("CSV malformato (virgolette non chiuse o file troncato)")

    def rows(self):
        number = 1
        try:
            for number, values in enumerate(self.reader, 2):
                yield number, values
        except csv.Error as exc:
            raise FileProblem(self._why(exc), number + 1) from None

    def progress(self) -> float:
        try:
            return min(self.raw.tell() / self.size, 1.0)
        except ValueError:  # closed
            return 1.0

    def close(self):
        self.raw.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "si" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class XlsxSource(Source):
    def __init__(self, path: Path):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.errors = errors = (*XLSX_ERRORS, InvalidFileException)
        self.raw = open(path, "rb")  # noqa: SIM115 (closed by close())
        try:
            self.book = load_workbook(self.raw, read_only=True, data_only=True)
        except errors:
            self.raw.close()
            raise FileProblem(_("file XLSX illeggibile o troncato"), 1) from None
        names = self.book.sheetnames
        sheet = self.book["partecipanti"] if "partecipanti" in names else self.book.worksheets[0]
        self.total = sheet.max_row or 0
        self.done = 0
        self.iterator = sheet.iter_rows(values_only=True)
        try:
            first = next(self.iterator)
        except StopIteration:
            self.close()
            raise FileProblem(_("il file è vuoto"), 1) from None
        except self.errors:
            self.close()
            raise FileProblem(_("file XLSX illeggibile o troncato"), 1) from None
        header = [_cell(v) for v in first]
        while header and not header[-1]:
            header.pop()
        if not header:
            self.close()
            raise FileProblem(_("il file è vuoto"), 1)
        self.header = header

    def rows(self):
        number = 1
        width = len(self.header)
        while True:
            try:
                values = next(self.iterator)
            except StopIteration:
                return
            except self.errors:
                raise FileProblem(_("file XLSX illeggibile o troncato"), number + 1) from None
            number += 1
            self.done = number
            cells = [_cell(v) for v in values]
            while len(cells) > width and not cells[-1]:
                cells.pop()
            yield number, cells

    def progress(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 0.0

    def close(self):
        self.book.close()
        self.raw.close()


def open_source(path: Path) -> Source:
    """Open `path` as CSV or XLSX (told by its first bytes, not by its name)."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == XLSX_MAGIC:
        return XlsxSource(path)
    return CsvSource(path)
