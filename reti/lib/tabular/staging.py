"""Plain CSV files that one program writes for another, never served to a person.

The analytics snapshot hands small tables to DuckDB through such a file. No escaping here:
a leading quote would change the data, and no spreadsheet opens these files. Anything a
person may download goes through `tabular.download` instead.
"""

import csv
from collections.abc import Iterable
from pathlib import Path


def write_plain(path: Path, rows: Iterable[Iterable], *, null: str) -> None:
    """Comma-separated, RFC 4180 quoting, UTF-8, no header; None written as `null`."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(null if value is None else value for value in row)
