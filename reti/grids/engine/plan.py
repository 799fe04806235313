"""A template compiled once into a flat plan the evaluator walks quickly.

The plan lists the nodes children-first (so a parent finds its children done), with what each
needs precomputed: its maximum, the factor from the scale value to points, the indices of its
children by role (scored, deductions, bonuses), scored children sorted by code (so a sum never
depends on the order the template lists them in), and its applicability rules. It is cached on
the template object, which is immutable.
"""

from __future__ import annotations

from decimal import Context, Decimal, Inexact

from .model import Template
from .validate import static_max

# Operation kinds.
LEAF, NEGATIVE, BONUS_LEAF, GATE, AREA, BONUS_GROUP, ROOT = range(7)
_EXACT = Context(prec=28, traps=[Inexact])


class Op:
    """One node of the plan; see the module docstring."""

    __slots__ = (
        "aggregation",
        "bonuses",
        "cap",
        "code",
        "fails",
        "high",
        "index",
        "kind",
        "levels",
        "low",
        "max",
        "mult",
        "negatives",
        "op",
        "parent",
        "rule",
        "rules",
        "scale",
        "scale_kind",
        "scale_max",
        "scored",
        "threshold",
        "weight",
    )


class Plan:
    __slots__ = ("conditional", "ops", "pre", "quantum", "renormalise", "root", "rounding")


def _applicability(node) -> tuple:
    rules = []
    for attribute, values in node.applicability.items():
        if attribute == "ateco":
            prefixes = tuple(v.replace(".", "") for v in values)
            rules.append((attribute, prefixes, True, ", ".join(values)))
        else:
            rules.append((attribute, frozenset(values), False, ", ".join(values)))
    return tuple(rules)


def compile_plan(template: Template) -> Plan:
    """The plan of a valid template (cached on it)."""
    plan = template.__dict__.get("_plan")
    if plan is not None:
        return plan
    ops: list[Op] = []
    pre: list[Op] = []
    scales = template.scales

    def visit(node, parent: Op | None) -> Op:
        op = Op()
        op.code, op.kind, op.parent = node.code, node.kind, parent
        op.rules = _applicability(node)
        op.weight, op.cap, op.threshold = node.weight, node.cap, node.threshold
        op.fails = node.threshold_effect == "fail"
        op.aggregation = node.aggregation
        op.max = static_max(node, scales)
        op.scale = scales.get(node.scale) if node.scale else None
        op.scale_kind = op.scale.kind if op.scale else "yesno"
        op.levels = {lv.code: lv.value for lv in op.scale.levels} if op.scale else {}
        op.scale_max = op.scale.maximum if op.scale else Decimal(1)
        op.low = op.scale.minimum if op.scale else Decimal(0)
        op.high = op.scale_max
        try:
            op.mult = _EXACT.divide(op.max, op.scale_max)
        except Inexact:
            op.mult = None
        pre.append(op)
        kids = [visit(child, op) for child in node.children]
        op.scored = tuple(
            sorted((k for k in kids if k.kind in ("criterion", "area")), key=lambda k: k.code)
        )
        op.negatives = tuple(k for k in kids if k.kind == "negative")
        op.bonuses = tuple(k for k in kids if k.kind == "bonus")
        if node.kind == "gate":
            op.op, op.rule = GATE, "gate: yes passes; no or no answer fails"
        elif node.kind == "area":
            op.op, op.rule = AREA, node.aggregation
        elif node.kind == "bonus" and node.children:
            op.op, op.rule = BONUS_GROUP, "bonus: sum of criteria" + _capped(node.cap)
        else:
            shape = f"value × {op.max} ÷ {op.scale_max}"
            if node.kind == "negative":
                op.op, op.rule = NEGATIVE, f"deduction: {shape}"
            elif node.kind == "bonus":
                op.op, op.rule = BONUS_LEAF, f"bonus: {shape}" + _capped(node.cap)
            else:
                op.op, op.rule = LEAF, shape
        op.index = len(ops)
        ops.append(op)
        return op

    root = Op()
    root.code, root.kind, root.parent, root.rules = template.code, "template", None, ()
    roots = [visit(node, root) for node in template.nodes]
    root.op, root.aggregation, root.rule = ROOT, template.aggregation, template.aggregation
    root.max, root.threshold, root.fails, root.cap = (
        template.max_points,
        template.threshold,
        True,
        None,
    )
    root.weight = Decimal(1)
    root.scored = tuple(
        sorted((k for k in roots if k.kind in ("criterion", "area")), key=lambda k: k.code)
    )
    root.negatives = tuple(k for k in roots if k.kind == "negative")
    root.bonuses = tuple(k for k in roots if k.kind == "bonus")
    root.index = len(ops)
    ops.append(root)
    plan = Plan()
    plan.ops, plan.pre, plan.root = tuple(ops), tuple(pre), root
    plan.conditional = any(op.rules for op in pre)
    plan.quantum = Decimal(1).scaleb(-template.rounding.decimals)
    plan.rounding = template.rounding.mode
    plan.renormalise = template.not_applicable == "renormalise"
    object.__setattr__(template, "_plan", plan)
    return plan


def _capped(cap) -> str:
    return "" if cap is None else f", capped at {cap}"
