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

    def line(key, label, color, dash):
        return {
            "type": "line",
            "label": label,
            "data": [{"x": r["n"], "y": rounded(100 * r[key], "limit")} for r in plot.curve],
            "borderColor": color,
            "borderDash": dash,
            "pointRadius": 0,
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
                line("lo95", limit(95), PALETTE[2], [6, 4]),
                line("hi95", limit(95), PALETTE[2], [6, 4]),
                line("lo998", limit(99.8), PALETTE[1], [2, 2]),
                line("hi998", limit(99.8), PALETTE[1], [2, 2]),
            ]
        },
        "options": {
            "locale": chart_locale(),
            "scales": {
                "x": {"type": "logarithmic", "title": {"display": True, "text": "n"}},
                "y": {"title": {"display": True, "text": "%"}},
            },
        },
    }
