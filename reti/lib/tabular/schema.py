"""A table's Frictionless description: its Table Schema and a tabular Data Package.

Every download of the site (`?format=`) has its data dictionary at the same address with
`?format=datapackage`: the Data Package whose resources are the page's own CSV downloads
(international and Italian Excel) with the filters applied, and whose schema is the table's
`Column` declarations, as reti.opendata describes its datasets.
"""

from collections.abc import Mapping

from django.utils import translation

from .columns import Column, Table

# Every empty cell is a missing value: the writers write None as "".
MISSING = [""]
# How the CSV writers spell a moment (cells.text): local time, no zone.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _field(entry: dict, column: Column, italian: bool) -> dict:
    field = {
        "name": entry["field"],
        "type": entry["type"],
        "title": entry["label_it"],
        "description": entry["description_it"] or entry["label_it"],
        # Frictionless keeps unknown properties: the English text travels with the Italian.
        "title_en": entry["label_en"],
        "description_en": entry["description_en"] or entry["label_en"],
    }
    if entry["format"]:
        field["format"] = entry["format"]
    if column.type == "datetime":
        field["format"] = DATETIME_FORMAT
    if column.type == "boolean":
        field["trueValues"] = ["sì"] if italian else ["true"]
        field["falseValues"] = ["no"] if italian else ["false"]
    if column.type == "number" and italian:
        field["decimalChar"] = ","
    if entry["unit"]:
        field["unit"] = entry["unit"]
    if column.required:
        field["constraints"] = {"required": True}
    return field


def table_schema(table: Table, *, italian: bool = False) -> dict:
    """The Table Schema of the table's CSV (international, or Italian Excel)."""
    entries = table.dictionary()
    return {
        "fields": [
            _field(entry, column, italian)
            for entry, column in zip(entries, table.columns, strict=True)
        ],
        "missingValues": MISSING,
    }


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text) if text else ""


def resources(table: Table, name: str, urls: Mapping[str, str]) -> list[dict]:
    """The two CSV resources of a table: `urls` maps "csv-intl" and "csv" to their paths."""
    common = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
    key = name.replace("-", "_")
    return [
        {
            "profile": "tabular-data-resource",
            "name": key,
            "path": urls["csv-intl"],
            "title": _in("it", table.title),
            **common,
            "dialect": {"delimiter": ",", "header": True},
            "schema": table_schema(table),
        },
        {
            "profile": "tabular-data-resource",
            "name": f"{key}_excel_it",
            "path": urls["csv"],
            "title": _in("it", table.title) + " (Excel, italiano)",
            **common,
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ";", "header": True},
            "schema": table_schema(table, italian=True),
        },
    ]


def package(table: Table, name: str, urls: Mapping[str, str], filters: Mapping) -> dict:
    """A download's Data Package: its two CSV resources, described column by column."""
    return {
        "profile": "tabular-data-package",
        "name": name.lower(),
        "title": _in("it", table.title),
        "title_en": _in("en", table.title),
        "description": _in("it", table.description),
        "description_en": _in("en", table.description),
        "filters": dict(filters),
        "resources": resources(table, name.lower(), urls),
    }
