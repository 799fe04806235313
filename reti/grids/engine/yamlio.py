"""Templates to and from YAML, one version per file.

`load_template(text)` reads a template and validates it; any problem raises `TemplateError`
with every problem found (node code and field), and nothing is returned. `dump_template`
writes the canonical YAML: fields in a fixed order, defaults left out, numbers as written
(a number with more digits than a float keeps is written in quotes), so that
`load_template(dump_template(t)) == t`. Numbers may be written as YAML numbers or quoted
strings; they become `Decimal` through their shortest text, never through binary floats.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import yaml

from .model import (
    DivergenceRule,
    JustificationRule,
    Level,
    Node,
    Problem,
    Rounding,
    Scale,
    Template,
    TemplateError,
)
from .validate import validate

TEMPLATE_KEYS = (
    "code",
    "version",
    "status",
    "title",
    "description",
    "source",
    "licence",
    "languages",
    "aggregation",
    "not_applicable",
    "rounding",
    "max_points",
    "threshold",
    "justification",
    "divergence",
    "scales",
    "nodes",
)
NODE_KEYS = (
    "code",
    "kind",
    "label",
    "guidance",
    "weight",
    "max_points",
    "scale",
    "threshold",
    "threshold_effect",
    "aggregation",
    "cap",
    "applicability",
    "evidence",
    "tags",
    "children",
)
SCALE_KEYS = ("kind", "label", "min", "max", "step", "levels")
LEVEL_KEYS = ("code", "value", "label", "rubric")
MAX_DEPTH = 12


class _Reader:
    """Reads plain YAML data into the model, noting every problem instead of stopping."""

    def __init__(self):
        self.problems: list[Problem] = []

    def note(self, where, field, message):
        self.problems.append(Problem(where, field, message))

    def keys(self, where, data, allowed):
        for key in data:
            if key not in allowed:
                self.note(where, str(key), "unknown field")

    def number(self, where, field, value, default=None):
        if value is None:
            return default
        if isinstance(value, bool):
            self.note(where, field, "must be a number")
            return default
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                self.note(where, field, "must be a finite number")
                return default
            return Decimal(repr(value))
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number
        self.note(where, field, "must be a number")
        return default

    def integer(self, where, field, value, default):
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.note(where, field, "must be a whole number")
            return default
        return value

    def flag(self, where, field, value, default):
        if value is None:
            return default
        if not isinstance(value, bool):
            self.note(where, field, "must be true or false")
            return default
        return value

    def word(self, where, field, value, default=None):
        if value is None:
            return default
        if not isinstance(value, str):
            self.note(where, field, "must be a text")
            return default
        return value

    def texts(self, where, field, value):
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.note(where, field, "must map language codes to texts")
            return {}
        return dict(value)

    def words(self, where, field, value):
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.note(where, field, "must be a list of texts")
            return ()
        return tuple(value)

    def mapping(self, where, field, value):
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.note(where, field, "must be a mapping")
            return {}
        return value

    def template(self, data) -> Template:
        if not isinstance(data, dict):
            self.note("", "yaml", "a template is a mapping of fields")
            raise TemplateError(self.problems)
        self.keys("", data, TEMPLATE_KEYS)
        rounding = self.mapping("", "rounding", data.get("rounding"))
        self.keys("", rounding, ("decimals", "mode"))
        justification = self.mapping("", "justification", data.get("justification"))
        self.keys("", justification, ("below", "extremes", "failed_gates"))
        divergence = self.mapping("", "divergence", data.get("divergence"))
        self.keys("", divergence, ("points", "gates"))
        scales = {}
        for code, raw in self.mapping("", "scales", data.get("scales")).items():
            scale = self.scale(str(code), raw)
            if scale is not None:
                scales[str(code)] = scale
        raw_nodes = data.get("nodes")
        if not isinstance(raw_nodes, list):
            self.note("", "nodes", "must be a list of nodes")
            raw_nodes = []
        nodes = tuple(n for n in (self.node(r, i, set(), 0) for i, r in enumerate(raw_nodes)) if n)
        return Template(
            code=self.word("", "code", data.get("code"), ""),
            version=self.integer("", "version", data.get("version"), 0),
            status=self.word("", "status", data.get("status"), "draft"),
            title=self.texts("", "title", data.get("title")),
            description=self.texts("", "description", data.get("description")),
            source=self.word("", "source", data.get("source"), ""),
            licence=self.word("", "licence", data.get("licence"), ""),
            languages=self.words("", "languages", data.get("languages")) or ("it", "en"),
            aggregation=self.word("", "aggregation", data.get("aggregation"), "weighted_sum"),
            not_applicable=self.word(
                "", "not_applicable", data.get("not_applicable"), "renormalise"
            ),
            rounding=Rounding(
                decimals=self.integer("", "rounding", rounding.get("decimals"), 2),
                mode=self.word("", "rounding", rounding.get("mode"), "ROUND_HALF_UP"),
            ),
            max_points=self.number("", "max_points", data.get("max_points"), Decimal(100)),
            threshold=self.number("", "threshold", data.get("threshold")),
            justification=JustificationRule(
                below=self.number("", "justification", justification.get("below")),
                extremes=self.flag("", "justification", justification.get("extremes"), False),
                failed_gates=self.flag(
                    "", "justification", justification.get("failed_gates"), False
                ),
            ),
            divergence=DivergenceRule(
                points=self.number("", "divergence", divergence.get("points")),
                gates=self.flag("", "divergence", divergence.get("gates"), True),
            ),
            scales=scales,
            nodes=nodes,
        )

    def scale(self, code, raw) -> Scale | None:
        where = f"scale:{code}"
        if not isinstance(raw, dict):
            self.note(where, "kind", "a scale is a mapping of fields")
            return None
        self.keys(where, raw, SCALE_KEYS)
        levels = []
        raw_levels = raw.get("levels")
        if raw_levels is not None and not isinstance(raw_levels, list):
            self.note(where, "levels", "must be a list")
            raw_levels = []
        for i, level in enumerate(raw_levels or ()):
            if not isinstance(level, dict):
                self.note(where, "levels", f"level {i + 1} must be a mapping")
                continue
            lw = f"{where}/{level.get('code', i + 1)}"
            self.keys(lw, level, LEVEL_KEYS)
            levels.append(
                Level(
                    code=self.word(lw, "code", level.get("code"), ""),
                    value=self.number(lw, "value", level.get("value")),
                    label=self.texts(lw, "label", level.get("label")),
                    rubric=self.texts(lw, "rubric", level.get("rubric")),
                )
            )
        return Scale(
            code=code,
            kind=self.word(where, "kind", raw.get("kind"), ""),
            label=self.texts(where, "label", raw.get("label")),
            min=self.number(where, "min", raw.get("min")),
            max=self.number(where, "max", raw.get("max")),
            step=self.number(where, "step", raw.get("step")),
            levels=tuple(levels),
        )

    def node(self, raw, position, path: set, depth) -> Node | None:
        if not isinstance(raw, dict):
            self.note(f"(node {position + 1})", "nodes", "a node is a mapping of fields")
            return None
        code = raw.get("code")
        where = code if isinstance(code, str) and code else f"(node {position + 1})"
        if id(raw) in path:
            self.note(where, "children", "cycle: the node contains itself")
            return None
        if depth > MAX_DEPTH:
            self.note(where, "children", f"deeper than {MAX_DEPTH} levels")
            return None
        self.keys(where, raw, NODE_KEYS)
        applicability = {}
        for attribute, values in self.mapping(
            where, "applicability", raw.get("applicability")
        ).items():
            if isinstance(values, (str, int)) and not isinstance(values, bool):
                values = [values]
            if not isinstance(values, list) or not all(
                isinstance(v, (str, int)) and not isinstance(v, bool) for v in values
            ):
                self.note(where, "applicability", f"'{attribute}' needs a list of texts")
                continue
            applicability[str(attribute)] = tuple(str(v) for v in values)
        raw_children = raw.get("children")
        if raw_children is not None and not isinstance(raw_children, list):
            self.note(where, "children", "must be a list of nodes")
            raw_children = []
        inner = path | {id(raw)}
        children = tuple(
            c
            for c in (self.node(r, i, inner, depth + 1) for i, r in enumerate(raw_children or ()))
            if c
        )
        return Node(
            code=code if isinstance(code, str) else self.word(where, "code", code, "") or "",
            kind=self.word(where, "kind", raw.get("kind"), ""),
            label=self.texts(where, "label", raw.get("label")),
            guidance=self.texts(where, "guidance", raw.get("guidance")),
            weight=self.number(where, "weight", raw.get("weight"), Decimal(1)),
            max_points=self.number(where, "max_points", raw.get("max_points")),
            scale=self.word(where, "scale", raw.get("scale")),
            threshold=self.number(where, "threshold", raw.get("threshold")),
            threshold_effect=self.word(
                where, "threshold_effect", raw.get("threshold_effect"), "fail"
            ),
            aggregation=self.word(where, "aggregation", raw.get("aggregation"), "weighted_sum"),
            cap=self.number(where, "cap", raw.get("cap")),
            applicability=applicability,
            evidence=self.words(where, "evidence", raw.get("evidence")),
            tags=self.words(where, "tags", raw.get("tags")),
            children=children,
        )


def from_data(data) -> Template:
    """A validated template from plain data (as `yaml.safe_load` gives); TemplateError else."""
    reader = _Reader()
    template = reader.template(data)
    problems = reader.problems + validate(template)
    if problems:
        raise TemplateError(problems)
    return template


def load_template(text: str) -> Template:
    """A validated template from YAML text; TemplateError with every problem otherwise."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TemplateError([Problem("", "yaml", str(error).replace("\n", " "))]) from None
    return from_data(data)


def _num(value: Decimal):
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return format(value, "f")


def _node_data(node: Node) -> dict:
    out: dict = {"code": node.code, "kind": node.kind, "label": dict(node.label)}
    if node.guidance:
        out["guidance"] = dict(node.guidance)
    if node.weight != 1:
        out["weight"] = _num(node.weight)
    for name in ("max_points", "threshold"):
        if getattr(node, name) is not None:
            out[name] = _num(getattr(node, name))
    if node.scale is not None:
        out["scale"] = node.scale
    if node.threshold_effect != "fail":
        out["threshold_effect"] = node.threshold_effect
    if node.aggregation != "weighted_sum":
        out["aggregation"] = node.aggregation
    if node.cap is not None:
        out["cap"] = _num(node.cap)
    if node.applicability:
        out["applicability"] = {k: list(v) for k, v in node.applicability.items()}
    if node.evidence:
        out["evidence"] = list(node.evidence)
    if node.tags:
        out["tags"] = list(node.tags)
    if node.children:
        out["children"] = [_node_data(c) for c in node.children]
    return out


def _scale_data(scale: Scale) -> dict:
    out: dict = {"kind": scale.kind}
    if scale.label:
        out["label"] = dict(scale.label)
    for name in ("min", "max", "step"):
        if getattr(scale, name) is not None:
            out[name] = _num(getattr(scale, name))
    if scale.levels:
        out["levels"] = [
            {
                "code": lv.code,
                "value": _num(lv.value),
                "label": dict(lv.label),
                **({"rubric": dict(lv.rubric)} if lv.rubric else {}),
            }
            for lv in scale.levels
        ]
    return out


def to_data(template: Template) -> dict:
    """The template as plain data, in the YAML's field order, defaults left out."""
    t = template
    out: dict = {"code": t.code, "version": t.version, "status": t.status, "title": dict(t.title)}
    if t.description:
        out["description"] = dict(t.description)
    out.update(
        source=t.source,
        licence=t.licence,
        languages=list(t.languages),
        aggregation=t.aggregation,
        not_applicable=t.not_applicable,
    )
    if t.rounding != Rounding():
        out["rounding"] = {"decimals": t.rounding.decimals, "mode": t.rounding.mode}
    out["max_points"] = _num(t.max_points)
    if t.threshold is not None:
        out["threshold"] = _num(t.threshold)
    j = t.justification
    if j != JustificationRule():
        out["justification"] = {
            **({"below": _num(j.below)} if j.below is not None else {}),
            "extremes": j.extremes,
            "failed_gates": j.failed_gates,
        }
    d = t.divergence
    if d != DivergenceRule():
        out["divergence"] = {
            **({"points": _num(d.points)} if d.points is not None else {}),
            "gates": d.gates,
        }
    out["scales"] = {code: _scale_data(s) for code, s in t.scales.items()}
    out["nodes"] = [_node_data(n) for n in t.nodes]
    return out


def dump_template(template: Template) -> str:
    """The template as canonical YAML (UTF-8 text, Italian and English side by side)."""
    return yaml.safe_dump(to_data(template), sort_keys=False, allow_unicode=True, width=100)
