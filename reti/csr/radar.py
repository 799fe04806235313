"""The radar chart of a CSR result's areas (grafico radar), drawn on the server.

`spec` builds a Vega-Lite specification from area rows (code, label, share 0-100, and an
optional `previous` share): the polar coordinates are worked out here, so the chart is plain
Vega-Lite lines and points (rings at 25/50/75/100, one spoke per area, the current result
and, when given, the previous year's). `svg` renders it with vl-convert (no JavaScript in the
browser, no CDN); pages show it as a `data:` image beside a table of the same figures, the
accessible equivalent. `spec` is pure (no Django).
"""

import base64
import math

RINGS = (25, 50, 75, 100)
SIZE = 360


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = math.pi / 2 - 2 * math.pi * index / count
    return round(value * math.cos(angle), 3), round(value * math.sin(angle), 3)


def _polygon(values: list[float], series: str) -> list[dict]:
    count = len(values)
    points = [(*_point(i, count, v), i) for i, v in enumerate(values)]
    points.append((*points[0][:2], count))  # closed
    return [{"x": x, "y": y, "order": order, "series": series} for x, y, order in points]


def spec(rows: list[dict], *, current: str, previous: str = "", title: str = "") -> dict:
    """Vega-Lite for the applicable areas of `rows`; `current`/`previous` name the series."""
    rows = [row for row in rows if row.get("applicable") and row.get("share") is not None]
    count = max(len(rows), 3)
    rings = []
    for ring in RINGS:
        rings += _polygon([ring] * count, str(ring))
    spokes = [
        {"x": 0, "y": 0, "x2": x, "y2": y}
        for x, y in (_point(i, count, 100) for i in range(len(rows)))
    ]
    labels = [
        {"x": x, "y": y, "text": row["code"]}
        for row, (x, y) in zip(rows, (_point(i, count, 118) for i in range(len(rows))), strict=True)
    ]
    data = _polygon([float(row["share"]) for row in rows] + [0] * (count - len(rows)), current)
    if previous and all(row.get("previous") is not None for row in rows):
        data += _polygon(
            [float(row["previous"]) for row in rows] + [0] * (count - len(rows)), previous
        )
    scale = {"domain": [-130, 130]}
    axis = None
    position = {
        "x": {"field": "x", "type": "quantitative", "scale": scale, "axis": axis},
        "y": {"field": "y", "type": "quantitative", "scale": scale, "axis": axis},
    }
    colours = {"domain": [current, previous] if previous else [current]}
    colours["range"] = ["#0066cc", "#a66300"][: len(colours["domain"])]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": SIZE,
        "height": SIZE,
        "background": "white",
        "layer": [
            {
                "data": {"values": rings},
                "mark": {"type": "line", "color": "#c5c7c9", "strokeWidth": 1},
                "encoding": {
                    **position,
                    "order": {"field": "order"},
                    "detail": {"field": "series"},
                },
            },
            {
                "data": {"values": spokes},
                "mark": {"type": "rule", "color": "#c5c7c9"},
                "encoding": {
                    **position,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                },
            },
            {
                "data": {"values": data},
                "mark": {"type": "line", "strokeWidth": 2.5, "point": True},
                "encoding": {
                    **position,
                    "order": {"field": "order"},
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "scale": colours,
                        "legend": {"title": None, "orient": "bottom"},
                    },
                },
            },
            {
                "data": {"values": labels},
                "mark": {"type": "text", "fontSize": 13, "fontWeight": "bold", "color": "#1a1a1a"},
                "encoding": {**position, "text": {"field": "text"}},
            },
        ],
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }


def svg(chart: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart)


def data_uri(chart: dict) -> str:
    """The chart as a `data:` URI for an <img> (the site's CSP allows data: images)."""
    encoded = base64.b64encode(svg(chart).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
