"""The dataset registry (registro dei dataset): what each app publishes as open data.

An app declares its datasets on its AppConfig (reti.lib.extensions): `datasets` is the dotted
path of a module whose `DATASETS` is a tuple of `Dataset`. Opendata reads them all, writes
them through the one tabular writer (reti.lib.tabular) and describes them: the data dictionary
and Frictionless Data Package (package.py) and the DCAT-AP_IT catalogue (catalog.py).

A dataset's rows are its *public* rows: `rows()` gives the records anyone may read (published
practices, never a draft; indicators only through the disclosure control), in a fixed order.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Max
from django.utils.module_loading import import_string

from reti.lib import tabular

# The EU data themes (http://publications.europa.eu/resource/authority/data-theme).
THEMES = (
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL",
    "INTR", "JUST", "OP_DATPRO", "REGI", "SOCI", "TECH", "TRAN",
)  # fmt: skip
# The EU frequencies used here (http://publications.europa.eu/resource/authority/frequency).
FREQUENCIES = ("CONT", "DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG")
# The EU licences used here (http://publications.europa.eu/resource/authority/licence).
LICENCES = {
    "CC_BY_4_0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0": "https://creativecommons.org/publicdomain/zero/1.0/",
}


@dataclass(frozen=True)
class Dataset:
    """One public dataset (dataset aperto).

    `code` names it in every URL (stable, lower-case); `table` is the tabular.Table whose
    columns are the data dictionary; `rows()` gives the public records; `modified()` the
    moment the data last changed (None: never, an empty dataset). `themes` are EU data theme
    codes, `frequency` an EU frequency code, `licence` an EU licence code; `temporal` is the
    (start, end) of the period the data cover (end None: still running), `spatial` an EU
    country code."""

    code: str
    title: Any
    description: Any
    table: tabular.Table
    rows: Callable[[], Iterable]
    modified: Callable[[], dt.date | dt.datetime | None]
    themes: tuple[str, ...]
    keywords: tuple[Any, ...] = ()
    frequency: str = "CONT"
    licence: str = "CC_BY_4_0"
    temporal: tuple[dt.date, dt.date | None] | None = None
    spatial: str = "ITA"

    def __post_init__(self):
        if not self.code or self.code != self.code.lower() or "/" in self.code:
            raise ValueError(f"Dataset {self.code!r}: the code is a lower-case URL segment")
        unknown = set(self.themes) - set(THEMES)
        if not self.themes or unknown:
            raise ValueError(f"Dataset {self.code}: themes must be EU data themes {THEMES}")
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"Dataset {self.code}: frequency one of {FREQUENCIES}")
        if self.licence not in LICENCES:
            raise ValueError(f"Dataset {self.code}: licence one of {tuple(LICENCES)}")


def last_change(queryset) -> Callable[[], dt.datetime | None]:
    """`modified` for a dataset of Provenance records: the newest `updated_at`."""
    return lambda: queryset.aggregate(moment=Max("updated_at"))["moment"]


@cache
def datasets() -> tuple[Dataset, ...]:
    """Every declared dataset, in INSTALLED_APPS order; a code declared twice is an error."""
    found: list[Dataset] = []
    for config in apps.get_app_configs():
        module = getattr(config, "datasets", "")
        if module:
            found += import_string(f"{module}.DATASETS")
    codes = [dataset.code for dataset in found]
    twice = {code for code in codes if codes.count(code) > 1}
    if twice:
        raise ValueError(f"Datasets declared twice: {sorted(twice)}")
    return tuple(found)


def by_code(code: str) -> Dataset | None:
    return next((dataset for dataset in datasets() if dataset.code == code), None)
