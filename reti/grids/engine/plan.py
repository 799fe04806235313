"""A template compiled once into a flat plan the evaluator walks quickly.

The plan lists the nodes children-first (so a parent finds its children done), with what each
needs precomputed: its maximum, the factor from the scale value to points, the indices of its
children by role (scored, deductions, bonuses), scored children sorted by code (so a sum never
depends on the order the template lists them in), its applicability rules, and for a leaf a
table of the result of every answer it can take (each level, yes and no, each value of a
stepped range, each whole percentage), trace entry included. It is cached on the template
object, which is immutable.
"""

from __future__ import annotations

from decimal import Context, Decimal, Inexact

from . import messages
from .model import Template, TraceEntry
from .validate import static_max

# Operation kinds.
LEAF, NEGATIVE, BONUS_LEAF, GATE, AREA, BONUS_GROUP, ROOT = range(7)
EXACT = Context(prec=28, traps=[Inexact])
# Divisions are made in this context, whatever the caller's: results never depend on it.
CONTEXT = Context(prec=28)
ZERO = Decimal(0)


class Op:
    """One node of the plan; see the module docstring."""

    __slots__ = (
        "aggregation",
        "bonuses",
        "cap",
        "code",
        "fails",
        "fast",
        "high",
        "index",
        "key_class",
        "kids",
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
        "table",
        "threshold",
        "unanswered",
        "weight",
    )


class Plan:
    __slots__ = (
        "conditional", "decimals", "groups", "leaves", "ops", "pre", "quantum", "renormalise",
        "root", "rounding",
    )  # fmt: skip


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
            op.mult = EXACT.divide(op.max, op.scale_max)
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
            op.op, op.rule = GATE, messages.GATE
        elif node.kind == "area":
            op.op, op.rule = AREA, node.aggregation
        elif node.kind == "bonus" and node.children:
            op.op, op.rule = BONUS_GROUP, messages.BONUS_GROUP + messages.capped(node.cap)
        else:
            shape = messages.shape(op.max, op.scale_max)
            if node.kind == "negative":
                op.op, op.rule = NEGATIVE, f"deduction: {shape}"
            elif node.kind == "bonus":
                op.op, op.rule = BONUS_LEAF, f"bonus: {shape}" + messages.capped(node.cap)
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
    plan.decimals = template.rounding.decimals
    plan.leaves = tuple(op for op in ops if op.op <= GATE)
    plan.groups = tuple(op for op in ops if op.op > GATE)
    plan.renormalise = template.not_applicable == "renormalise"
    for op in ops:
        op.kids = tuple(c.index for c in op.scored if c.weight)
        op.key_class, op.table = None, {}
        # Numbers on a range or a percentage scale are computed inline when nothing else applies.
        op.fast = (
            op.op in (LEAF, NEGATIVE)
            and op.scale_kind in ("range", "percent")
            and op.mult is not None
        )
        if op.op <= GATE:
            op.unanswered = leaf(op, None, plan.quantum, plan.rounding)
            if op.scale_kind == "levels":
                op.key_class = str
                op.table = {c: leaf(op, c, plan.quantum, plan.rounding) for c in op.levels}
            elif op.scale_kind == "yesno":
                op.key_class = bool
                op.table = {v: leaf(op, v, plan.quantum, plan.rounding) for v in (True, False)}
            else:  # every value of a stepped range, every whole percentage
                op.key_class = Decimal
                op.table = {v: leaf(op, v, plan.quantum, plan.rounding) for v in _values(op)}
    object.__setattr__(template, "_plan", plan)
    return plan


def _values(op: Op) -> tuple[Decimal, ...]:
    """The values a numeric leaf can take, when they are few (at most 1,001)."""
    if op.scale_kind == "percent":
        return tuple(Decimal(v) for v in range(101))
    step = op.scale.step
    if not step or (op.high - op.low) / step > 1000:
        return ()
    return tuple(op.low + step * k for k in range(int((op.high - op.low) / step) + 1))


def leaf(op: Op, given, quantum: Decimal, rounding: str) -> tuple:
    """A leaf or gate answered `given`: (points, trace entry, flags, gate failed, threshold
    failed, what its parent reads: code, points, maximum, weight). Computed once per level,
    yes/no and stepped value when the plan is made, for any other answer when it comes."""
    value = None
    kind = op.scale_kind
    if given is None:
        inputs = ()
    elif kind == "levels":
        value = op.levels.get(given) if given.__class__ is str else None
        inputs = (("level", given), ("value", value))
    elif kind == "yesno":
        if given.__class__ is bool:
            value = Decimal(1) if given else ZERO
        inputs = (("answer", given),)
    else:
        number = given
        if number.__class__ is not Decimal:
            number = Decimal(number) if number.__class__ is int else None
        if number is not None and number.is_finite() and op.low <= number <= op.high:
            value = number
        inputs = (("value", value),)
    flags: tuple = ()
    missing = "invalid:" if given is not None else "unanswered:"
    if op.op == GATE:
        passed = value is not None and value > 0
        if not passed:
            flags = ("gate_failed:" + op.code,) + (
                () if value is not None else (missing + op.code,)
            )
        entry = TraceEntry(
            op.code, "gate", True, "", op.rule, inputs, None, None, "passed" if passed else "failed"
        )
        return None, entry, flags, not passed, False, None
    if value is None:
        outcome = missing[:-1]
        flags = (missing + op.code,)
        points = ZERO.quantize(quantum)
    else:
        outcome = ""
        if op.mult is not None:
            points = (value * op.mult).quantize(quantum, rounding)
        else:
            points = CONTEXT.divide(value * op.max, op.scale_max).quantize(quantum, rounding)
    if op.op == BONUS_LEAF and op.cap is not None and points > op.cap:
        points = op.cap.quantize(quantum, rounding)
    failed = False
    if op.threshold is not None and points < op.threshold:
        outcome = "below_threshold"
        failed = op.fails
        flags += (("threshold_failed:" if failed else "threshold_flagged:") + op.code,)
    entry = TraceEntry(op.code, op.kind, True, "", op.rule, inputs, points, op.max, outcome)
    kid = (op.code, points, op.max, op.weight) if op.max else None
    return points, entry, flags, False, failed, kid


def shared_objects(template: Template) -> tuple:
    """The trace entries and child tuples of the template's plan (each leaf unanswered and
    for every answer in its table): `evaluate` puts these very objects in the traces it
    makes, so whoever turns many traces into text may do it once for each (by identity)."""
    plan = compile_plan(template)
    return tuple(
        item
        for op in plan.leaves
        for done in (op.unanswered, *op.table.values())
        for item in (done[1], done[5])
        if item is not None
    )
