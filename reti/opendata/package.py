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


def schema(dataset: Dataset, *, italian: bool = False) -> dict:
    """The Table Schema of the dataset's CSV (international, or Italian Excel)."""
    return tabular.table_schema(dataset.table, italian=italian)


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text) if text else ""


def descriptor(dataset: Dataset) -> dict:
    """The dataset's `datapackage.json` (Frictionless Data Package v1 with Table Schema)."""
    name = dataset.code
    urls = {fmt: download_url(dataset, fmt) for fmt in ("csv-intl", "csv")}
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
        "resources": tabular.resources(dataset.table, name, urls),
    }
