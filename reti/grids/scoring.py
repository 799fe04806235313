"""Between stored JSON and the engine: answers in, the result and its trace out.

Answers are stored (and sent to the API) as `{node code: {"value", "justification",
"evidence"}}` with the value as JSON writes it: a number as a string ("7.5"), a level's code,
true/false, or null; evidence as a list of `{"kind": "document"|"url"|"text", "ref": ...}`.
`to_engine` reads them by the scale of each node; `run` is the one call every stored
assessment, the evaluate endpoint and `reti grids verify` make.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from . import engine

TRUE = {"true", "yes", "si", "sì", "1", "on"}
FALSE = {"false", "no", "0", "off"}


def _scale_kind(template, code: str) -> str | None:
    try:
        node = template.node(code)
    except (KeyError, LookupError):
        return None
    scale = template.scales.get(node.scale) if getattr(node, "scale", None) else None
    if scale is None:
        return "yesno" if node.kind == "gate" else None
    return scale.kind


def _value(kind: str | None, raw):
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    if kind == "yesno":
        text = str(raw).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        return str(raw)
    if kind in ("range", "percent"):
        try:
            return Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            return str(raw)
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    return str(raw)


def scale_kinds(template) -> dict[str, str | None]:
    """The scale kind of every node of `template`, by code: what `to_engine` reads a value
    as. Worked out once when many answer sets of one template are read (`actions.verify`)."""
    return {node.code: _scale_kind(template, node.code) for node in template.walk()}


def to_engine(template, answers: Mapping, kinds: Mapping | None = None) -> dict:
    """Stored or posted answers as the engine's `Answer`s, by node code (`kinds`: the
    template's `scale_kinds`, when the caller has them)."""
    found = {}
    for code, item in (answers or {}).items():
        code = str(code)
        if not isinstance(item, Mapping):
            item = {"value": item}
        kind = kinds[code] if kinds is not None and code in kinds else _scale_kind(template, code)
        found[code] = engine.Answer(
            value=_value(kind, item.get("value")),
            justification=str(item.get("justification") or ""),
            evidence=tuple(engine.Evidence(e["kind"], e["ref"]) for e in _evidence(item)),
        )
    return found


def _evidence(item: Mapping) -> list[dict]:
    found = []
    for entry in item.get("evidence") or []:
        if isinstance(entry, Mapping):
            kind, ref = entry.get("kind"), entry.get("ref")
        elif isinstance(entry, list | tuple) and len(entry) == 2:
            kind, ref = entry
        else:
            continue
        if kind and ref:
            found.append({"kind": str(kind), "ref": str(ref)})
    return found


def stored_value(value):
    """An answer's value as JSON stores it (Decimals as strings)."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def clean_answers(answers: Mapping) -> dict:
    """Answers as stored: only the three keys, values JSON can hold."""
    cleaned = {}
    for code, item in (answers or {}).items():
        if not isinstance(item, Mapping):
            item = {"value": item}
        cleaned[str(code)] = {
            "value": stored_value(item.get("value")),
            "justification": str(item.get("justification") or ""),
            "evidence": _evidence(item),
        }
    return cleaned


def attributes(subject: Mapping | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in (subject or {}).items() if v not in (None, "")}


def problems(template, answers: Mapping, subject: Mapping | None = None) -> list:
    """What keeps these answers from being submitted (engine.check_answers)."""
    return list(
        engine.check_answers(
            template, to_engine(template, answers), attributes(subject), complete=True
        )
    )


def run(template, answers: Mapping, subject: Mapping | None = None, kinds: Mapping | None = None):
    """The engine's Result for these answers on this template (an engine Template)."""
    return engine.evaluate(template, to_engine(template, answers, kinds), attributes(subject))


def stored(result) -> tuple[dict, list]:
    """The result as stored (the engine's as_dict without the trace) and the trace: two
    columns, so that what reads the total and outcome never decodes the trace."""
    data = result.as_dict()
    return data, data.pop("trace", [])
