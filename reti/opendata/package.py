"""The data dictionary (dizionario dei dati) and the Frictionless Data Package of a dataset.

Both come from the dataset's `tabular.Table`: the same `Column` declarations that the CSV,
XLSX and JSON writers use, so a column cannot be written one way and described another. The
package's resource is the international CSV download (`,`, decimal point, `true`/`false`,
plain UTF-8) at the dataset's stable URL; the Italian Excel variant is described as a second
resource with its own dialect (`;`, decimal comma, BOM, `sì`/`no`).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reti.lib import tabular
from reti.lib.mail import site_url

from .registry import LICENCES, Dataset

# Every empty cell is a missing value: the writers write None as "".
MISSING = [""]
# How the CSV writers spell a moment (reti.lib.tabular.cells.text): local time, no zone.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def site() -> str:
    return site_url()


def address(name: str, dataset: Dataset) -> str:
    """The absolute URL of a dataset's page (`name` "detail") or package, in Italian: one
    stable identifier whatever the language of the request."""
    with translation.override("it"):
        return f"{site()}{reverse(f'opendata:{name}', args=[dataset.code])}"


def download_url(dataset: Dataset, fmt: str) -> str:
    return f"{address('detail', dataset)}?{tabular.PARAM}={fmt}"


def package_url(dataset: Dataset) -> str:
    return address("package", dataset)


def _field(entry: dict, column: tabular.Column, italian: bool) -> dict:
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


def schema(dataset: Dataset, *, italian: bool = False) -> dict:
    """The Table Schema of the dataset's CSV (international, or Italian Excel)."""
    entries = dataset.table.dictionary()
    return {
        "fields": [
            _field(entry, column, italian)
            for entry, column in zip(entries, dataset.table.columns, strict=True)
        ],
        "missingValues": MISSING,
    }


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text) if text else ""


def descriptor(dataset: Dataset) -> dict:
    """The dataset's `datapackage.json` (Frictionless Data Package v1 with Table Schema)."""
    name = dataset.code
    common = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
    return {
        "profile": "tabular-data-package",
        "name": name,
        "id": package_url(dataset),
        "title": _in("it", dataset.title),
        "description": _in("it", dataset.description),
        "title_en": _in("en", dataset.title),
        "description_en": _in("en", dataset.description),
        "homepage": address("detail", dataset),
        "keywords": [_in("it", keyword) for keyword in dataset.keywords],
        "licenses": [
            {"name": dataset.licence.replace("_", "-"), "path": LICENCES[dataset.licence]}
        ],
        "contributors": [
            {"title": settings.RETI_PUBLISHER_NAME, "role": "publisher"},
        ],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": name.replace("-", "_"),
                "path": download_url(dataset, "csv-intl"),
                "title": _in("it", dataset.title),
                **common,
                "dialect": {"delimiter": ",", "header": True},
                "schema": schema(dataset),
            },
            {
                "profile": "tabular-data-resource",
                "name": f"{name.replace('-', '_')}_excel_it",
                "path": download_url(dataset, "csv"),
                "title": _in("it", dataset.title) + " (Excel, italiano)",
                **common,
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ";", "header": True},
                "schema": schema(dataset, italian=True),
            },
        ],
    }
