"""What the result pages, the PDF and the JSON download show of one CSR result.

`report(template, result, ...)` turns a stored (or anonymous) engine result into the area
rows, strengths and gaps, failed minimum requirements, the comparison with the previous
year and the radar chart; every figure the chart draws is also in the rows (the table).
"""

from django.utils.translation import gettext as _

from reti.grids.forms import text

from . import radar, results
from .actions import area_rows


def requirement_codes(template) -> list[str]:
    return [node.code for node in template.walk() if node.kind == "gate"]


def report(template, result: dict, *, previous: dict | None = None, label="", previous_label=""):
    rows = area_rows(template, result)
    if previous:
        rows = results.compare(rows, area_rows(template, previous))
    strengths, gaps = results.strengths_and_gaps(rows, result.get("flags"))
    labels = {node.code: text(node.label, node.code) for node in template.walk()}
    failed = [
        {"code": code, "label": labels.get(code, code)}
        for code in results.failed_requirements(result, requirement_codes(template))
    ]
    chart = radar.spec(
        rows,
        current=str(label or _("Risultato")),
        previous=str(previous_label) if previous else "",
    )
    return {
        "rows": rows,
        "total": result.get("total"),
        "admissible": bool(result.get("admissible")),
        "strengths": strengths,
        "gaps": gaps,
        "failed_requirements": failed,
        "compared": bool(previous),
        "chart": radar.data_uri(chart),
    }


def as_json(template, result: dict, answers: dict, attributes: dict) -> dict:
    """The downloadable record of a result: inputs, areas and the engine's output."""
    rows = area_rows(template, result)
    return {
        "grid": {"code": template.code, "version": template.version},
        "subject": attributes,
        "answers": answers,
        "areas": [
            {
                "code": row["code"],
                "label": row["label"],
                "applicable": row["applicable"],
                "points": row["points"],
                "max": row["max"],
                "share": None if row["share"] is None else str(row["share"]),
            }
            for row in rows
        ],
        "total": result.get("total"),
        "outcome": result.get("outcome"),
        "result": result,
    }
