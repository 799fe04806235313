"""What makes a template valid, checked on the built objects (after YAML or a back-office form).

Every problem names the node (or "scale:<code>", or "" for the template) and the field:
- codes: present, made of letters, digits, ".", "_" and "-", unique across the tree;
- texts: title, labels, level labels and rubrics in every language of the template, and the
  languages include Italian and English; guidance, when given, in every language too;
- kinds: area, criterion, negative, gate, bonus; an area has children; a criterion or a
  negative aspect has a known scale and no children; a gate is yes/no with no points; a bonus
  has either a scale or criteria below it; `cap` only on a bonus;
- scales: a range has 0 <= min < max and a step that divides max - min; levels are at least two,
  with unique codes and strictly increasing values >= 0; the highest value of a scale is > 0;
- numbers: weights >= 0, maxima > 0, a threshold between 0 and the node's maximum;
- sums: an area summing its children (weighted sum) that declares `max_points` must have
  children whose maxima add up to it, and so must the template's roots under a weighted sum;
  a weighted mean, minimum or normalised area declares its maximum and has a scored child;
- applicability: attributes among size_class, ateco, legal_form, call_line, with a non-empty
  list of values (size classes among micro, small, medium, large);
- rules: a known aggregation, not-applicable mode, rounding mode (0 to 6 decimals),
  justification share between 0 and 1.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .model import (
    AGGREGATIONS,
    EVIDENCE_KINDS,
    KINDS,
    NOT_APPLICABLE_MODES,
    ROUNDING_MODES,
    SCALE_KINDS,
    SIZE_CLASSES,
    STATUSES,
    SUBJECT_ATTRIBUTES,
    THRESHOLD_EFFECTS,
    Node,
    Problem,
    Scale,
    Template,
)

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SCORED = ("criterion", "area")


def static_max(node: Node, scales: dict[str, Scale]) -> Decimal:
    """What a node is worth when everything applies (0 for a gate, a node of weight 0, which
    counts for nothing, or an unknown scale)."""
    if node.kind == "gate" or not node.weight:
        return Decimal(0)
    if node.max_points is not None:
        return node.max_points
    if node.children:
        return sum((static_max(c, scales) for c in node.children if c.kind in SCORED), Decimal(0))
    scale = scales.get(node.scale or "")
    if scale is None or not _scale_ok(scale):
        return Decimal(0)
    return node.weight * scale.maximum


def _scale_ok(scale: Scale) -> bool:
    if scale.kind == "range":
        return scale.min is not None and scale.max is not None
    if scale.kind == "levels":
        return bool(scale.levels)
    return scale.kind in SCALE_KINDS


def _texts(problems, where, field, texts, languages, required=True):
    if not texts:
        if required:
            problems.append(Problem(where, field, "missing text"))
        return
    for lang in languages:
        if not str(texts.get(lang, "")).strip():
            problems.append(Problem(where, field, f"missing translation '{lang}'"))


def validate(template: Template) -> list[Problem]:
    """Every problem of `template`; an empty list when it is valid."""
    problems: list[Problem] = []
    langs = template.languages
    if "it" not in langs or "en" not in langs:
        problems.append(Problem("", "languages", "Italian (it) and English (en) are required"))
    if not isinstance(template.code, str) or not re.match(r"^[a-z0-9][a-z0-9_.-]*$", template.code):
        problems.append(Problem("", "code", "lower-case letters, digits, '.', '_' and '-'"))
    if (
        isinstance(template.version, bool)
        or not isinstance(template.version, int)
        or (template.version < 1)
    ):
        problems.append(Problem("", "version", "a whole number from 1"))
    if template.status not in STATUSES:
        problems.append(Problem("", "status", f"one of {', '.join(STATUSES)}"))
    _texts(problems, "", "title", template.title, langs)
    _texts(problems, "", "description", template.description, langs, required=False)
    for name in ("source", "licence"):
        if not str(getattr(template, name) or "").strip():
            problems.append(Problem("", name, "required"))
    if template.aggregation not in AGGREGATIONS:
        problems.append(Problem("", "aggregation", f"one of {', '.join(AGGREGATIONS)}"))
    if template.not_applicable not in NOT_APPLICABLE_MODES:
        problems.append(Problem("", "not_applicable", f"one of {', '.join(NOT_APPLICABLE_MODES)}"))
    rounding = template.rounding
    if rounding.mode not in ROUNDING_MODES:
        problems.append(Problem("", "rounding", f"mode one of {', '.join(ROUNDING_MODES)}"))
    if (
        isinstance(rounding.decimals, bool)
        or not isinstance(rounding.decimals, int)
        or not (0 <= rounding.decimals <= 6)
    ):
        problems.append(Problem("", "rounding", "decimals from 0 to 6"))
    if template.max_points is None or template.max_points <= 0:
        problems.append(Problem("", "max_points", "must be greater than 0"))
    if (
        template.threshold is not None
        and template.max_points is not None
        and not (0 <= template.threshold <= template.max_points)
    ):
        problems.append(Problem("", "threshold", "must be between 0 and max_points"))
    below = template.justification.below
    if below is not None and not 0 <= below <= 1:
        problems.append(Problem("", "justification", "'below' is a share between 0 and 1"))
    points = template.divergence.points
    if points is not None and points < 0:
        problems.append(Problem("", "divergence", "'points' must be 0 or more"))
    for code, scale in template.scales.items():
        _check_scale(problems, code, scale, langs)
    if not template.nodes:
        problems.append(Problem("", "nodes", "a template needs at least one node"))
    seen: set[str] = set()
    for node in template.nodes:
        _check_node(problems, template, node, None, seen)
    _check_children(
        problems,
        "",
        "max_points",
        template.aggregation,
        template.max_points,
        template.nodes,
        template.scales,
        declared=True,
    )
    return problems


def _check_scale(problems, code, scale: Scale, langs):
    where = f"scale:{code}"
    if not CODE.match(str(code)):
        problems.append(Problem(where, "code", "letters, digits, '.', '_' and '-'"))
    if scale.kind not in SCALE_KINDS:
        problems.append(Problem(where, "kind", f"one of {', '.join(SCALE_KINDS)}"))
        return
    _texts(problems, where, "label", scale.label, langs, required=False)
    if scale.kind == "range":
        if scale.min is None or scale.max is None:
            problems.append(Problem(where, "min", "a range needs min and max"))
            return
        if scale.min < 0:
            problems.append(Problem(where, "min", "must be 0 or more"))
        if scale.max <= scale.min or scale.max <= 0:
            problems.append(Problem(where, "max", "must be greater than min and than 0"))
        if scale.step is not None:
            if scale.step <= 0:
                problems.append(Problem(where, "step", "must be greater than 0"))
            elif (scale.max - scale.min) % scale.step != 0:
                problems.append(Problem(where, "step", "must divide max - min"))
    elif any(v is not None for v in (scale.min, scale.max, scale.step)):
        problems.append(Problem(where, "kind", "only a range has min, max and step"))
    if scale.kind == "levels":
        if len(scale.levels) < 2:
            problems.append(Problem(where, "levels", "at least two levels"))
        codes: set[str] = set()
        previous = None
        for level in scale.levels:
            lw = f"{where}/{level.code}"
            if not isinstance(level.code, str) or not CODE.match(level.code):
                problems.append(Problem(lw, "code", "letters, digits, '.', '_' and '-'"))
            elif level.code in codes:
                problems.append(Problem(lw, "code", "duplicate level code"))
            codes.add(level.code)
            if level.value is None or level.value < 0:
                problems.append(Problem(lw, "value", "must be 0 or more"))
            elif previous is not None and level.value <= previous:
                problems.append(Problem(lw, "value", "levels must have increasing values"))
            else:
                previous = level.value
            _texts(problems, lw, "label", level.label, langs)
            _texts(problems, lw, "rubric", level.rubric, langs)
        if scale.levels and previous is not None and previous <= 0:
            problems.append(Problem(where, "levels", "the highest value must be above 0"))
    elif scale.levels:
        problems.append(Problem(where, "levels", "only a levels scale has levels"))


def _check_node(problems, template: Template, node: Node, parent: Node | None, seen: set):
    code = node.code
    where = code if isinstance(code, str) and code else "(node without code)"
    if not isinstance(code, str) or not CODE.match(code):
        problems.append(Problem(where, "code", "letters, digits, '.', '_' and '-'"))
    elif code in seen:
        problems.append(Problem(where, "code", "duplicate code"))
    elif code == template.code:
        problems.append(Problem(where, "code", "must differ from the template's code"))
    seen.add(code)
    langs = template.languages
    _texts(problems, where, "label", node.label, langs)
    _texts(problems, where, "guidance", node.guidance, langs, required=False)
    kind = node.kind
    if kind not in KINDS:
        problems.append(Problem(where, "kind", f"one of {', '.join(KINDS)}"))
        return
    if parent is not None and parent.kind == "bonus" and kind != "criterion":
        problems.append(Problem(where, "kind", "a bonus groups criteria only"))
    scale = template.scales.get(node.scale) if node.scale is not None else None
    if node.scale is not None and scale is None:
        problems.append(Problem(where, "scale", f"unknown scale '{node.scale}'"))
    if kind == "area":
        if node.scale is not None:
            problems.append(Problem(where, "scale", "an area has no scale"))
        if not node.children:
            problems.append(Problem(where, "children", "an area needs children"))
    elif kind in ("criterion", "negative"):
        if node.scale is None:
            problems.append(Problem(where, "scale", "required"))
        if node.children:
            problems.append(Problem(where, "children", f"a {kind} has no children"))
    elif kind == "gate":
        if scale is not None and scale.kind != "yesno":
            problems.append(Problem(where, "scale", "a gate is answered yes or no"))
        if node.children:
            problems.append(Problem(where, "children", "a gate has no children"))
        if node.max_points is not None or node.threshold is not None:
            problems.append(Problem(where, "max_points", "a gate scores no points"))
    elif kind == "bonus" and (node.scale is None) == (not node.children):
        problems.append(Problem(where, "scale", "a bonus has a scale or criteria, not both"))
    if node.cap is not None:
        if kind != "bonus":
            problems.append(Problem(where, "cap", "only a bonus has a cap"))
        elif node.cap <= 0:
            problems.append(Problem(where, "cap", "must be greater than 0"))
    if node.weight is None or node.weight < 0:
        problems.append(Problem(where, "weight", "must be 0 or more"))
    if node.max_points is not None and node.max_points <= 0:
        problems.append(Problem(where, "max_points", "must be greater than 0"))
    if node.aggregation not in AGGREGATIONS:
        problems.append(Problem(where, "aggregation", f"one of {', '.join(AGGREGATIONS)}"))
    if node.threshold_effect not in THRESHOLD_EFFECTS:
        problems.append(Problem(where, "threshold_effect", "fail or flag"))
    if node.threshold is not None:
        top = static_max(node, template.scales)
        if node.threshold < 0 or (top and node.threshold > top):
            problems.append(Problem(where, "threshold", f"must be between 0 and {top}"))
    for attribute, values in node.applicability.items():
        if attribute not in SUBJECT_ATTRIBUTES:
            problems.append(Problem(where, "applicability", f"unknown attribute '{attribute}'"))
        if not values or not all(isinstance(v, str) and v for v in values):
            problems.append(Problem(where, "applicability", f"'{attribute}' needs values"))
        elif attribute == "size_class" and not set(values) <= set(SIZE_CLASSES):
            problems.append(
                Problem(where, "applicability", f"size classes are {', '.join(SIZE_CLASSES)}")
            )
    for kind_ in node.evidence:
        if kind_ not in EVIDENCE_KINDS:
            problems.append(Problem(where, "evidence", f"unknown evidence kind '{kind_}'"))
    if not all(isinstance(t, str) and t for t in node.tags):
        problems.append(Problem(where, "tags", "tags are non-empty texts"))
    for child in node.children:
        _check_node(problems, template, child, node, seen)
    if kind == "area" and node.children:
        _check_children(
            problems,
            where,
            "max_points",
            node.aggregation,
            node.max_points,
            node.children,
            template.scales,
            declared=node.max_points is not None,
        )


def _check_children(problems, where, field, rule, declared_max, children, scales, declared):
    scored = [c for c in children if c.kind in SCORED]
    if rule in ("weighted_mean", "minimum", "normalised"):
        if not declared:
            problems.append(Problem(where, "max_points", f"required by '{rule}'"))
        if children and not any(static_max(c, scales) > 0 for c in scored):
            problems.append(Problem(where, "children", f"'{rule}' needs a scored child"))
        if (
            rule == "weighted_mean"
            and scored
            and not any(c.weight > 0 for c in scored if c.weight is not None)
        ):
            problems.append(Problem(where, "children", "the weights add up to 0"))
    elif rule == "weighted_sum" and declared and declared_max is not None:
        total = sum((static_max(c, scales) for c in scored), Decimal(0))
        if total != declared_max:
            problems.append(
                Problem(
                    where,
                    field,
                    f"the children's maxima add up to {total}, not the declared {declared_max}",
                )
            )
