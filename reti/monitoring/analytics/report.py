"""A region's indicator report as a PDF (issue 20): the public indicator table of one region
by gender and its chart, in the page's language, through the one renderer (reti.lib.pdf).

Every figure comes from `public.region_table`, the same disclosure control as the page and
the downloads: a suppressed cell is None, written "—" in the table and left out of the
chart (no bar, never a number). The chart is drawn on the server by vl-convert (Vega-Lite
to SVG) and put in the PDF as an image with a text alternative; the table under it carries
the same figures.

A report depends on the snapshot, the region, the language and the threshold only, so it
is kept in the analytics' one cache (public._memoised) until the next refresh.
"""

import base64

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reti.lib.pdf import render_pdf

from . import public
from .forms import GENDER_LABELS
from .snapshot import Snapshot
from .suppression import threshold_setting

TEMPLATE = "monitoring/pdf/region_indicators.html"
GENDERS = tuple(GENDER_LABELS)
BAR_HEIGHT = 14


def chart_spec(rows: list[dict]) -> dict:
    """A Vega-Lite grouped bar chart of the published cells: indicators down, one bar per
    gender; a suppressed cell has no bar."""
    values = [
        {"indicatore": row["code"], "genere": str(GENDER_LABELS[g]), "n": row[g]}
        for row in rows
        for g in GENDERS
        if row[g] is not None
    ]
    locale = (get_language() or "it")[:2]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": 440,
        "height": {"step": BAR_HEIGHT},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "indicatore", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "genere", "sort": [str(GENDER_LABELS[g]) for g in GENDERS]},
            "x": {
                "field": "n",
                "type": "quantitative",
                "title": _("Partecipanti"),
                "axis": {"format": ",d"},
            },
            "color": {
                "field": "genere",
                "type": "nominal",
                "title": None,
                "scale": {"range": ["#0066cc", "#d9364f", "#008055"]},
                "legend": {"orient": "top"},
            },
        },
        "config": {
            "font": "DejaVu Sans",
            "locale": {
                "number": {
                    "decimal": "," if locale == "it" else ".",
                    "thousands": "." if locale == "it" else ",",
                    "grouping": [3],
                    "currency": ["", " €"],
                }
            },
        },
    }


def chart_svg(rows: list[dict]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart_spec(rows))


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render(snapshot: Snapshot, region: str, region_name: str) -> bytes:
    """The PDF of `region`'s indicators in the active language (kept until the refresh)."""
    threshold = threshold_setting()
    language = get_language() or "it"

    def build() -> bytes:
        rows = public.region_table(snapshot, region, threshold)
        moment = public.computed_at(snapshot, threshold)
        context = {
            "region": region,
            "region_name": region_name,
            "rows": rows,
            "threshold": threshold,
            "chart": _data_url(chart_svg(rows)) if any(r["total"] for r in rows) else "",
            "computed_at": formats.date_format(timezone.localtime(moment), "j F Y, H:i")
            if moment
            else "",
            "printed_at": formats.date_format(timezone.localtime(), "j F Y"),
        }
        return render_pdf(TEMPLATE, context)

    return public._memoised(snapshot, ("region-pdf", region, language, threshold), build)
