"""What is wrong with a set of answers, before they are submitted or stored.

`check_answers` lists, as Problems naming the node and the field:
- answers for codes the template does not have, or for areas (which are not scored directly);
- values that do not fit the node's scale (out of range, off the step, unknown level, not yes
  or no, not a percentage);
- a missing justification where the template's rule requires one: an answer scoring less than
  the `below` share of the leaf's maximum, an answer at the lowest or highest value of its
  scale (`extremes`), a gate answered no (`failed_gates`);
- missing evidence of a kind the node requires (checked on answered nodes);
- with `complete=True`, leaves that apply to the subject and are not answered.
Answers to nodes that do not apply to the subject are not checked: evaluate ignores them.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import scales
from .evaluate import _reasons
from .model import Answer, Problem, Template
from .plan import compile_plan


def _kind_of(item) -> str | None:
    if isinstance(item, Mapping):
        return item.get("kind")
    if isinstance(item, tuple) and item:
        return item[0]
    return getattr(item, "kind", None)


def check_answers(
    template: Template,
    answers: Mapping[str, Answer],
    subject: Mapping[str, str] | None = None,
    *,
    complete: bool = False,
) -> list[Problem]:
    """Every problem of `answers` on `template` for `subject`; empty when all is well."""
    plan = compile_plan(template)
    skip = _reasons(plan, subject or {})
    by_code = {op.code: op for op in plan.pre}
    rule = template.justification
    problems: list[Problem] = []
    for code in answers:
        op = by_code.get(code)
        if op is None:
            problems.append(Problem(code, "node", "no such node in this template"))
        elif op.kind == "area" or (op.kind == "bonus" and op.scale is None):
            problems.append(Problem(code, "node", "a group of nodes is not scored directly"))
    for op in plan.pre:
        if op.index in skip or op.kind == "area" or (op.kind == "bonus" and op.scale is None):
            continue
        answer = answers.get(op.code)
        if answer is None or answer.value is None:
            if complete:
                problems.append(Problem(op.code, "value", "not answered"))
            continue
        scale = op.scale
        if scale is None:  # a gate without a declared scale is yes/no
            why = None if isinstance(answer.value, bool) else "the answer must be yes or no"
        else:
            why = scales.problem(scale, answer.value)
        if why:
            problems.append(Problem(op.code, "value", why))
            continue
        needs = _why_justify(op, answer.value, scale, rule)
        if needs and not str(answer.justification or "").strip():
            problems.append(Problem(op.code, "justification", f"required: {needs}"))
        given = {_kind_of(item) for item in answer.evidence or ()}
        problems.extend(
            Problem(op.code, "evidence", f"evidence of kind '{kind}' is required")
            for kind in template.node(op.code).evidence
            if kind not in given
        )
    return problems


def _why_justify(op, value, scale, rule) -> str:
    if op.kind == "gate":
        return "the gate is not passed" if rule.failed_gates and value is False else ""
    number = scales.numeric(scale, value)
    if number is None:
        return ""
    if rule.extremes and number in (scale.minimum, scale.maximum):
        return "the answer is at an end of the scale"
    if rule.below is not None and number < rule.below * scale.maximum:
        return f"the answer scores less than {rule.below * 100:g}% of the maximum"
    return ""
