"""What a table is made of: its columns, declared once, and the data dictionary they give.

A module that offers a download declares a `Table` of `Column`s; the writers (writers.py)
decide how each value is spelled in each format, and `Table.dictionary()` describes the
same columns for readers of the data (the XLSX notes sheet today, the open-data packages of
issue 20 tomorrow). Column types are Frictionless Table Schema types, plus `url` (a string
in the format `uri`: a site path such as `/it/reti/x/` becomes an absolute address).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "url")


def _path_getter(path: str) -> Callable[[Any], Any]:
    """`record.a.b` for "a.b"; None as soon as a step is None (an empty cell)."""
    steps = path.split(".")

    def get(record):
        for step in steps:
            if record is None:
                return None
            record = getattr(record, step)
        return record

    return get


@dataclass(frozen=True)
class Column:
    """One column: `name` is the header in every format (stable, Italian snake_case);
    `label` and `description` are gettext strings (Italian source, English translation);
    `getter` is an attribute path ("territory.code"), a callable taking the record, or None
    for the attribute called `name`."""

    name: str
    label: Any
    getter: str | Callable[[Any], Any] | None = None
    type: str = "string"
    unit: str = ""
    description: Any = ""
    required: bool = False
    get: Callable[[Any], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Column {self.name}: unknown type {self.type!r} (one of {TYPES})")
        getter = self.getter if self.getter is not None else self.name
        object.__setattr__(self, "get", _path_getter(getter) if isinstance(getter, str) else getter)


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text) if text else ""


@dataclass(frozen=True)
class Table:
    """A downloadable table: `name` names the file and the sheet, `title` and `description`
    head the notes."""

    name: str
    title: Any
    columns: tuple[Column, ...]
    description: Any = ""

    def __post_init__(self):
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"Table {self.name}: a column name appears twice")

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def values(self, record) -> list:
        return [column.get(record) for column in self.columns]

    def dictionary(self) -> list[dict[str, str | bool]]:
        """The data dictionary: one entry per column, with its labels in Italian and English."""
        return [
            {
                "field": column.name,
                "type": "string" if column.type == "url" else column.type,
                "format": "uri" if column.type == "url" else "",
                "unit": column.unit,
                "required": column.required,
                "label_it": _in("it", column.label),
                "label_en": _in("en", column.label),
                "description_it": _in("it", column.description),
                "description_en": _in("en", column.description),
            }
            for column in self.columns
        ]


def rows_of(table: Table, records: Iterable) -> Iterable[list]:
    """Each record as the list of its column values, computed in Italian (labels of choices,
    dates spelled by the page are all Italian in a download, whatever the page's language)."""
    for record in records:
        with translation.override("it"):
            yield table.values(record)
