"""The one tabular writer of the site: a module declares a `Table` of `Column`s, the writer
decides how each format spells them (CSV for Italian Excel and international, XLSX, JSON),
streams them, escapes formulas, and describes them in a data dictionary.

    from reti.lib import tabular

    NETWORKS = tabular.Table("reti", _("Reti"), (
        tabular.Column("id", _("Identificativo numerico"), type="integer"),
        tabular.Column("nome", _("Nome"), "name_it"),
    ))

    if tabular.requested(request):
        return tabular.download(request, NETWORKS, queryset.iterator(), filters=applied)

Nothing else in reti/ writes CSV or XLSX (reti/lib/tests/test_house_writers.py checks it).
"""

from .columns import Column, Table, rows_of
from .responses import (
    ALL,
    DICTIONARY,
    FORMATS,
    LEGACY_PARAM,
    PARAM,
    absolute_urls,
    asked,
    body,
    download,
    links,
    moved,
    requested,
)
from .schema import resources, table_schema

__all__ = [
    "ALL",
    "DICTIONARY",
    "FORMATS",
    "LEGACY_PARAM",
    "PARAM",
    "Column",
    "Table",
    "absolute_urls",
    "asked",
    "body",
    "download",
    "links",
    "moved",
    "requested",
    "resources",
    "rows_of",
    "table_schema",
]
