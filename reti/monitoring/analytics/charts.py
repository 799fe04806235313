"""Chart.js configurations built server-side and handed to static/monitoring/charts.js as JSON.

Only data and options: no functions, so the page needs no inline script (CSP). Figures come
already protected and rounded (disclosure.py); the funnel's are rounded here to the table's
decimals, so the chart data carry no more digits than the page shows.
"""

from .disclosure import rounded

PALETTE = ("#0066cc", "#d9364f", "#008055", "#995c00", "#5c2f99")


def bars(labels: list[str], series: dict[str, list]) -> dict:
    datasets = [
        {"label": name, "data": values, "backgroundColor": PALETTE[k % len(PALETTE)]}
        for k, (name, values) in enumerate(series.items())
    ]
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {"indexAxis": "y", "responsive": True, "maintainAspectRatio": False},
    }


def lines(labels: list[str], series: dict[str, list]) -> dict:
    datasets = [
        {"label": name, "data": values, "borderColor": PALETTE[k % len(PALETTE)], "fill": False}
        for k, (name, values) in enumerate(series.items())
    ]
    return {"type": "line", "data": {"labels": labels, "datasets": datasets}, "options": {}}


def funnel(plot) -> dict:
    """Regions as points (n, rate %) and the control limits as lines."""

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
                    "label": "Regioni",
                    "data": [
                        {"x": p["n"], "y": rounded(100 * p["rate"], "percent"), "label": p["name"]}
                        for p in plot.points
                    ],
                    "backgroundColor": PALETTE[0],
                    "pointRadius": 5,
                },
                line("lo95", "95%", PALETTE[2], [6, 4]),
                line("hi95", "95%", PALETTE[2], [6, 4]),
                line("lo998", "99,8%", PALETTE[1], [2, 2]),
                line("hi998", "99,8%", PALETTE[1], [2, 2]),
            ]
        },
        "options": {
            "scales": {
                "x": {"type": "logarithmic", "title": {"display": True, "text": "n"}},
                "y": {"title": {"display": True, "text": "%"}},
            }
        },
    }
