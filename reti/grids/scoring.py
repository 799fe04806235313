"""Between stored JSON and the engine: answers in, the result and its trace out.

Answers are stored (and sent to the API) as `{node code: {"value", "justification",
"evidence"}}` with the value as JSON writes it: a number as a string ("7.5"), a level's code,
true/false, or null; evidence as a list of `{"kind": "document"|"url"|"text", "ref": ...}`.
`to_engine` reads them by the scale of each node; `run` is the one call every stored
assessment, the evaluate endpoint and `reti grids verify` make.
"""

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from . import engine
from .engine.evaluate import entry_dict

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


# Stored values whose conversion is remembered (by class too: True == 1); not floats, whose
# text (and so their Decimal) equal floats may not share, as 0.0 and -0.0.
_KEYS = frozenset({str, bool, int, type(None)})
_CHILDREN = "\x01"  # stands for a group's children while the rest of its entry is written


class Replay:
    """Stored assessments of one template recomputed and compared with what is stored, many
    at a time (`actions.verify`); the verdicts are those of comparing `run` and `stored`
    with the decoded columns, only cheaper:

    - the engine reads only the value of each answer, so the answers are read as values only,
      each distinct (node, stored value) converted once;
    - the stored trace is compared as the text the database returns with the text of the
      recomputed trace in the same form; equal texts are equal traces. The entries and child
      tuples the engine takes from its plan's tables (most leaves) are the same objects every
      time (`engine.shared_objects`), so their text is made once. Only when the texts differ
      (a trace written in another form, e.g. moved between databases, or a real difference)
      is the stored trace decoded and compared as data.

    `vendor` names the database's JSON text: "postgresql" (jsonb: keys by length then
    bytes, text unescaped, `", "` and `": "` between items) or anything else (the text Django
    wrote: `json.dumps`).
    """

    def __init__(self, template, vendor: str):
        self.template = template
        self.kinds = scale_kinds(template)
        self.answers: dict = {}
        self.shared = frozenset(id(item) for item in engine.shared_objects(template))
        self.texts: dict = {}
        self.codes: dict = {}
        self.jsonb = vendor == "postgresql"
        self._dumps = json.JSONEncoder(ensure_ascii=not self.jsonb).encode
        self._marker = self._dumps(_CHILDREN)

    def result(self, answers: Mapping | None, subject: Mapping | None):
        """The engine's Result for stored answers (the same as `run`)."""
        known = self.answers
        try:  # every value met before: one look-up each
            found = {
                code: known[code, (value := item["value"]).__class__, value]
                for code, item in answers.items()
            }
        except (KeyError, TypeError, AttributeError):
            found = self._convert(answers)
        return engine.evaluate(self.template, found, attributes(subject))

    def _convert(self, answers: Mapping | None) -> dict:
        known, found = self.answers, {}
        for code, item in (answers or {}).items():
            raw = item.get("value") if isinstance(item, Mapping) else item
            key = (code, raw.__class__, raw) if raw.__class__ in _KEYS else None
            answer = known.get(key) if key else None
            if answer is None:
                code = str(code)
                kind = self.kinds[code] if code in self.kinds else _scale_kind(self.template, code)
                answer = engine.Answer(value=_value(kind, raw))
                if key and isinstance(item, Mapping):
                    known[key] = answer
            found[code] = answer
        return found

    def _entry(self, entry) -> str:
        """The text of one trace entry; an area's children are written here, each shared
        child tuple once."""
        children = _children(entry)
        if children is None:
            data = entry_dict(entry)
            return self._dumps(_jsonb_order(data) if self.jsonb else data)
        data = entry_dict(entry, _CHILDREN)
        text = self._dumps(_jsonb_order(data) if self.jsonb else data)
        texts, shared, dumps, codes, kids = self.texts, self.shared, self._dumps, self.codes, []
        for kid in children:
            found = texts.get(id(kid))
            if found is None:
                code, *numbers = kid
                found = codes.get(code) or codes.setdefault(code, dumps(code))
                for number in numbers:  # a Decimal's text needs no escaping
                    found += ", null" if number is None else f', "{number}"'
                found = "[" + found + "]"
                if id(kid) in shared:
                    texts[id(kid)] = found
            kids.append(found)
        return text.replace(self._marker, "[" + ", ".join(kids) + "]", 1)

    def trace_text(self, result) -> str:
        """The recomputed trace as the database holds the stored one."""
        texts, shared, parts = self.texts, self.shared, []
        for entry in result.trace:
            found = texts.get(id(entry))
            if found is None:
                found = self._entry(entry)
                if id(entry) in shared:
                    texts[id(entry)] = found
            parts.append(found)
        return "[" + ", ".join(parts) + "]"

    def differences(self, answers, subject, result: Mapping | None, trace: str | None) -> list:
        """What differs between the stored `result` and `trace` (the trace as text) and
        their recomputation: "result", "trace"."""
        computed = self.result(answers, subject)
        found = []
        if computed.summary() != result:
            found.append("result")
        if trace != self.trace_text(computed) and (
            trace is None or json.loads(trace) != [entry_dict(e) for e in computed.trace]
        ):
            found.append("trace")
        return found


def _str(value):
    return None if value is None else str(value)


def _children(entry) -> tuple | None:
    for name, value in entry.inputs:
        if name == "children":
            return value
    return None


def _jsonb_order(value):
    """`value` with every mapping's keys in PostgreSQL jsonb's order: shorter first, then
    by bytes."""
    if isinstance(value, dict):
        return {
            key: _jsonb_order(value[key])
            for key in sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        }
    if isinstance(value, list):
        return [_jsonb_order(item) for item in value]
    return value
