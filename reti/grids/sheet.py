"""The evaluation sheet (scheda di valutazione): a stored result and its trace, for reading."""

from decimal import Decimal, InvalidOperation

from . import charts, messages
from .forms import text


def _depths(template) -> dict[str, int]:
    depths = {}

    def visit(node, depth):
        depths[node.code] = depth
        for child in node.children:
            visit(child, depth + 1)

    for root in template.nodes:
        visit(root, 0)
    return depths


def _share(points, maximum) -> int | None:
    try:
        points, maximum = Decimal(points), Decimal(maximum)
    except (InvalidOperation, TypeError):
        return None
    if maximum <= 0:
        return None
    return max(0, min(100, int(points * 100 / maximum)))


def trace_rows(template, trace) -> list[dict]:
    """Trace entries in the tree's order, each with its label and depth."""
    depths = _depths(template)
    labels = {node.code: text(node.label, node.code) for node in template.walk()}
    by_code = {entry["node"]: entry for entry in trace or [] if entry.get("node") in labels}
    rows = []
    for node in template.walk():
        entry = by_code.get(node.code)
        if entry is not None:
            # Children have their own rows below; the parent lists the other inputs.
            inputs = [
                (messages.input_label(k), v)
                for k, v in (entry.get("inputs") or {}).items()
                if k != "children"
            ]
            rows.append(
                {
                    **entry,
                    "inputs": inputs,
                    "label": labels[node.code],
                    "depth": depths[node.code],
                    # The engine's codes in the page's language (messages.py).
                    "rule_text": messages.rule_text(entry.get("rule", "")),
                    "reason_text": messages.reason_text(entry.get("reason", ""), labels),
                    "outcome_text": messages.entry_outcome_label(entry.get("outcome", "")),
                }
            )
    return rows


def flag_texts(template, flags) -> list[str]:
    """A result's flags in the page's language, each node named by its label."""
    labels = {node.code: f"{text(node.label, node.code)} ({node.code})" for node in template.walk()}
    return [messages.flag_text(flag, labels) for flag in flags or ()]


def area_bars(template, trace) -> list[dict]:
    """The top-level areas' points out of their maximum, for the bar chart."""
    by_code = {entry["node"]: entry for entry in trace or []}
    bars = []
    for node in template.nodes:
        entry = by_code.get(node.code)
        if entry is None or node.kind != "area":
            continue
        bars.append(
            {
                "code": node.code,
                "label": text(node.label, node.code),
                "applicable": entry.get("applicable", True),
                "points": entry.get("points"),
                "max": entry.get("max_points"),
                "share": _share(entry.get("points"), entry.get("max_points")),
            }
        )
    return bars


def sheet_context(assessment) -> dict:
    template = assessment.template.engine_template()
    trace = assessment.trace or []
    result = assessment.result or {}
    bars = area_bars(template, trace)
    return {
        "assessment": assessment,
        "parsed": template,
        "result": result,
        "outcome_text": messages.outcome_label(result.get("outcome", "")),
        "flags": flag_texts(template, result.get("flags")),
        "rows": trace_rows(template, trace),
        "bars": bars,
        "chart": charts.chart_data_uri(assessment, bars) if charts.has_chart(assessment) else "",
        "answers": assessment.answers,
    }
