"""Reading an uploaded participant file as a stream of rows, whatever its format.

CSV: UTF-8 (with or without BOM) or Windows-1252, told apart on the first 64 KiB; `;`, `,` or
tab, told apart on the header line; a NUL byte is named on its row. XLSX: openpyxl in read-only
mode, first sheet (or the one named "partecipanti"), every row that is there (the sheet's
`<dimension>` tag is ignored: a wrong one would hide rows or columns). Before openpyxl opens a
workbook, `check_workbook` bounds what its members expand to (XLSX_LIMITS), so that a small
file cannot make the worker decompress or hold gigabytes. Rows come one at a time with their
spreadsheet row number (header = row 1), so memory stays bounded whatever the file's size. A
file that cannot be read raises FileProblem naming the row where reading stopped.
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
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (and other OLE files)
MiB = 1024 * 1024
# What a workbook may expand to. A legitimate sheet of a million rows of the template's
# columns is about 1 GiB of XML compressed 10-30 times; a decompression bomb is compressed
# hundreds of times, or hides one huge run of text that a parser would hold whole.
XLSX_MAX_UNCOMPRESSED = 2 * 1024 * MiB  # all members together
XLSX_MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MiB
XLSX_MAX_SHARED_STRINGS = 256 * MiB  # openpyxl holds the shared strings in memory
XLSX_MAX_TEXT_RUN = 1 * MiB  # bytes without markup (a cell holds at most 32,767 characters)
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


def _looks_utf16(sample: bytes) -> bool:
    """Text in UTF-16 without BOM: every other byte NUL (Latin text), on one side."""
    head = sample[:512]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return len(head) >= 8 and max(even, odd) >= len(head) // 4 and min(even, odd) <= 1


def _looks_binary(sample: bytes) -> bool:
    """Not text at all: control bytes (other than tab and line ends) throughout its start."""
    head = sample[:1024]
    controls = sum(head.count(b) for b in range(32) if b not in (9, 10, 12, 13))
    return controls > len(head) // 10


def _encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample):
        raise FileProblem(
            _("codifica non supportata (sembra UTF-16): salvare il file come CSV UTF-8"), 1
        )
    if sample.startswith(XLS_MAGIC):
        raise FileProblem(
            _("file Excel 97-2003 (.xls) non supportato: salvarlo come XLSX o CSV UTF-8"), 1
        )
    if _looks_binary(sample):
        raise FileProblem(
            _(
                "il file non è un CSV né un XLSX: contiene dati binari (ad esempio un PDF, "
                "un'immagine o un archivio)"
            ),
            1,
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
            nul = block.find(b"\x00")
            if nul >= 0:  # never a character of a CSV: a damaged file, or not text
                start = block.rfind(b"\n", 0, nul) + 1
                yield io.StringIO(block[:start].decode(encoding), newline="\n")
                self.line += block.count(b"\n", 0, start) + 1
                raise FileProblem(
                    _("carattere NUL (byte 0) nel file: il file è danneggiato o non è testo"),
                    self.line,
                )
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


def _bomb(reason: str) -> FileProblem:
    return FileProblem(
        _("file XLSX rifiutato, sembra una «bomba di decompressione»: %(reason)s")
        % {"reason": reason},
        1,
    )


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose members would expand beyond XLSX_LIMITS, before any parsing.

    The sizes in the zip's directory bound what can come out (zipfile stops at the declared
    size and fails the CRC check of a member that lies); the XML members are then read once,
    a block at a time, for a run of text longer than XLSX_MAX_TEXT_RUN.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > XLSX_MAX_UNCOMPRESSED:
                raise _bomb(
                    _("si espande a %(size)d MiB (al massimo %(max)d MiB)")
                    % {"size": total // MiB, "max": XLSX_MAX_UNCOMPRESSED // MiB}
                )
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > MiB and ratio > XLSX_MAX_RATIO:
                    raise _bomb(
                        _("%(name)s è compresso %(ratio)d volte (al massimo %(max)d)")
                        % {"name": member.filename, "ratio": ratio, "max": XLSX_MAX_RATIO}
                    )
                if (
                    member.filename.lower().endswith("sharedstrings.xml")
                    and member.file_size > XLSX_MAX_SHARED_STRINGS
                ):
                    raise _bomb(
                        _("i testi condivisi occupano %(size)d MiB (al massimo %(max)d MiB)")
                        % {
                            "size": member.file_size // MiB,
                            "max": XLSX_MAX_SHARED_STRINGS // MiB,
                        }
                    )
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    _check_text_runs(archive, member)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise FileProblem(_("file XLSX illeggibile o troncato"), 1) from None


def _check_text_runs(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    # Blocks are no longer than the limit, so a run too long always spans a block's edge.
    run = 0  # bytes since the last "<"
    with archive.open(member) as stream:
        while block := stream.read(min(BLOCK, XLSX_MAX_TEXT_RUN)):
            first = block.find(b"<")
            if first < 0:
                run += len(block)
                longest = run
            else:
                longest = run + first
                run = len(block) - block.rfind(b"<") - 1
            if longest > XLSX_MAX_TEXT_RUN:
                raise _bomb(
                    _("%(name)s contiene un testo di oltre %(max)d MiB senza marcatura")
                    % {"name": member.filename, "max": XLSX_MAX_TEXT_RUN // MiB}
                )


class XlsxSource(Source):
    def __init__(self, path: Path):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        check_workbook(path)
        self.errors = errors = (*XLSX_ERRORS, InvalidFileException)
        self.raw = open(path, "rb")  # noqa: SIM115 (closed by close())
        try:
            self.book = load_workbook(self.raw, read_only=True, data_only=True)
        except errors:
            self.raw.close()
            raise FileProblem(_("file XLSX illeggibile o troncato"), 1) from None
        names = self.book.sheetnames
        sheet = self.book["partecipanti"] if "partecipanti" in names else self.book.worksheets[0]
        # The <dimension> tag is what the writing program claimed, not what is there: read on
        # to the sheet's last row, and each row to its last cell.
        sheet.reset_dimensions()
        member = self.book._archive.getinfo(sheet._worksheet_path)
        self.start, self.length = member.header_offset, max(member.compress_size, 1)
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
            cells = [_cell(v) for v in values]
            while len(cells) > width and not cells[-1]:
                cells.pop()
            yield number, cells

    def progress(self) -> float:
        """How far into the sheet's compressed bytes the reading has come."""
        try:
            return min(max(self.raw.tell() - self.start, 0) / self.length, 1.0)
        except ValueError:  # closed
            return 1.0

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
