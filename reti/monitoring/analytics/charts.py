"""Chart.js configurations built server-side and handed to static/monitoring/charts.js as JSON.

Only data and options: no functions, so the page needs no inline script (CSP). Figures come
already protected and rounded (disclosure.py); the funnel's are rounded here to the table's
decimals, so the chart data carry no more digits than the page shows.

Every configuration names the page's locale (`options.locale`): Chart.js then writes ticks and
tooltips as the page writes its numbers ("99,8" on an Italian page, "99.8" on an English one),
and labels come in the page's language.
"""

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .disclosure import rounded

PALETTE = ("#0066cc", "#d9364f", "#008055", "#995c00", "#5c2f99")
LOCALES = {"it": "it-IT", "en": "en-GB"}


def chart_locale() -> str:
    """The BCP 47 locale Chart.js formats numbers with, from the page's language."""
    return LOCALES.get((get_language() or "it")[:2], "it-IT")


def bars(labels: list[str], series: dict[str, list]) -> dict:
    datasets = [
        {"label": name, "data": values, "backgroundColor": PALETTE[k % len(PALETTE)]}
        for k, (name, values) in enumerate(series.items())
    ]
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {
            "indexAxis": "y",
            "responsive": True,
            "maintainAspectRatio": False,
            "locale": chart_locale(),
        },
    }


def lines(labels: list[str], series: dict[str, list]) -> dict:
    datasets = [
        {"label": name, "data": values, "borderColor": PALETTE[k % len(PALETTE)], "fill": False}
        for k, (name, values) in enumerate(series.items())
    ]
    return {
        "type": "line",
        "data": {"labels": labels, "datasets": datasets},
        "options": {"locale": chart_locale()},
    }


def funnel(plot) -> dict:
    """Regions as points (n, rate %) and the control limits as lines."""

    def limit(level: float) -> str:
        decimals = 0 if float(level).is_integer() else 1
        return _("limite al %(level)s%%") % {"level": number_format(level, decimals)}

    def band(low, high, label, color, dash):
        # One dataset per level, so the legend names each level once: the lower limit, a gap
        # (a null point breaks the line), then the upper limit.
        def points(key):
            return [{"x": r["n"], "y": rounded(100 * r[key], "limit")} for r in plot.curve]

        gap = [{"x": plot.curve[-1]["n"], "y": None}] if plot.curve else []
        return {
            "type": "line",
            "label": label,
            "data": points(low) + gap + points(high),
            "borderColor": color,
            "backgroundColor": color,
            "borderDash": dash,
            "pointRadius": 0,
            "pointHitRadius": 0,
            "spanGaps": False,
            "fill": False,
        }

    return {
        "type": "scatter",
        "data": {
            "datasets": [
                {
                    "label": _("Regioni"),
                    "data": [
                        {"x": p["n"], "y": rounded(100 * p["rate"], "percent"), "label": p["name"]}
                        for p in plot.points
                    ],
                    "backgroundColor": PALETTE[0],
                    "pointRadius": 5,
                },
                band("lo95", "hi95", limit(95), PALETTE[2], [6, 4]),
                band("lo998", "hi998", limit(99.8), PALETTE[1], [2, 2]),
            ]
        },
        "options": {
            "locale": chart_locale(),
            "responsive": True,
            "maintainAspectRatio": False,
            # charts.js names a point by its `label` in the tooltip ("Toscana: 25,0 %, n 40").
            "plugins": {"tooltip": {"mode": "nearest", "intersect": True}},
            "scales": {
                "x": {
                    "type": "logarithmic",
                    "title": {"display": True, "text": _("persone (scala logaritmica)")},
                    # Few, horizontal ticks: on a phone the log scale's labels overlapped.
                    "ticks": {"maxRotation": 0, "autoSkip": True, "autoSkipPadding": 16},
                },
                "y": {"title": {"display": True, "text": _("tasso (%)")}},
            },
        },
    }
