"""The areas' chart of a CSR self-assessment (grafico delle aree), drawn on the server.

A Vega-Lite specification of horizontal bars (each area's points as a share of its maximum)
is rendered to SVG by vl-convert (no JavaScript reaches the browser, no CDN) and shown as an
image beside a table that says the same figures (the accessible equivalent). A submitted
result does not change, so the SVG is kept in the cache under the assessment, its submission
time and the language.
"""

import base64

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reti.lib import cache

# The grids whose sheet shows the chart: the CSR self-assessment, areas on one scale.
CHARTED = frozenset({"csr-self-assessment"})


def has_chart(assessment) -> bool:
    return assessment.template.code in CHARTED and assessment.is_submitted


def spec(bars: list[dict]) -> dict:
    """The Vega-Lite specification of the areas that apply: share of the maximum, 0-100."""
    values = [
        {"area": bar["label"], "share": bar["share"], "points": f"{bar['points']} / {bar['max']}"}
        for bar in bars
        if bar["applicable"] and bar["share"] is not None
    ]
    order = [value["area"] for value in values]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "height": {"step": 26},
        "background": "white",
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "color": "#0066cc"},
                "encoding": {
                    "y": {"field": "area", "type": "nominal", "sort": order, "title": None},
                    "x": {
                        "field": "share",
                        "type": "quantitative",
                        "scale": {"domain": [0, 100]},
                        "title": _("% del massimo dell'area"),
                    },
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": "#1a1a1a"},
                "encoding": {
                    "y": {"field": "area", "type": "nominal", "sort": order},
                    "x": {"field": "share", "type": "quantitative"},
                    "text": {"field": "points"},
                },
            },
        ],
        "config": {"font": "sans-serif", "axis": {"labelLimit": 260}},
    }


def svg(bars: list[dict]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec(bars))


def chart_data_uri(assessment, bars: list[dict]) -> str:
    """The chart as a `data:` URI for an <img> (the site's CSP allows data: images)."""
    submitted = assessment.submitted_at.isoformat() if assessment.submitted_at else ""

    def render() -> str:
        encoded = base64.b64encode(svg(bars).encode()).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"

    return cache.cached(
        "grids-charts", ("grid-area-chart", assessment.pk, submitted, get_language()), render
    )
