"""The one evaluation: a template version, the answers and the subject in; a Result with its
trace out. The page, the API's evaluate endpoint, stored assessments and `reti grids verify`
all call `evaluate`.

The rules, in words:
- Applicability. A node applies unless the subject states an attribute the node restricts and
  its value is not allowed (an ATECO code matches by prefix, dots ignored); a subject that does
  not state the attribute sees the node. Below a node that does not apply nothing applies.
  What does not apply is left out, and the rest is renormalised as the template says.
- Leaves. A criterion scores `value ÷ scale maximum × its maximum points`; a level scores its
  value, yes scores 1 and no 0, a percentage its number. No answer, or one that does not fit
  the scale, scores 0 and is flagged ("unanswered:<code>", "invalid:<code>").
- Negative aspects are computed the same way and subtracted from their parent; bonuses are
  computed the same way (a bonus with criteria below it sums them), limited to their cap, and
  added to their parent. Neither counts in the parent's maximum.
- Areas (and the template's roots) aggregate their scored children that apply:
  `weighted_sum` adds their points (maximum: the sum of their maxima, or the declared one);
  `normalised` adds them and rescales the sum to the area's maximum;
  `weighted_mean` takes the weighted mean of each child's points ÷ its maximum, times the
  area's maximum; `minimum` takes the lowest such share, times the area's maximum.
  When some children do not apply, "renormalise" keeps the area's maximum (a weighted sum is
  rescaled to it) and "shrink" lowers a sum's maximum by the maxima left out (a mean, a
  minimum and a normalised area are shares of their maximum, which stays).
  A child of weight 0 counts for nothing. Then the area's points are
  `aggregate - deductions + bonuses`, kept within 0 and its maximum.
- Rounding. Every node's points are rounded to the template's decimals (2 unless stated) with
  its mode (ROUND_HALF_UP unless stated), computed from the rounded points of its children, so
  every figure of the trace follows from the figures above it. A weighted mean is computed
  exactly (as a fraction) before its one rounding.
- Gates answer yes or no; no, or no answer, fails, and a failed gate makes the result
  "not_admissible" whatever the points ("gate_failed:<code>").
- Thresholds. A node below its threshold (in its points) fails the assessment
  ("threshold_failed:<code>", outcome "below_threshold") or is only flagged
  ("threshold_flagged:<code>"), as the node says; a total below the template's threshold is
  "below_threshold" too. `admissible` is true when no gate failed; the outcome is
  "not_admissible" if a gate failed, else "below_threshold" if a threshold failed, else
  "admissible".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, Inexact

from . import messages
from .model import Answer, Template, TraceEntry
from .plan import BONUS_GROUP, CONTEXT, EXACT, ROOT, compile_plan, leaf

ENGINE_VERSION = "1.0"
ZERO = Decimal(0)
_EMPTY: Mapping[str, str] = {}
_DECIMAL_INPUTS = ("value", "raw", "deductions", "bonus")


@dataclass(frozen=True)
class Result:
    """A template evaluated: the total out of `max_points`, the outcome, the flags and one
    trace entry per node (the template's own entry last)."""

    template: str
    version: int
    engine: str
    total: Decimal
    max_points: Decimal
    outcome: str
    admissible: bool
    flags: tuple[str, ...]
    trace: tuple[TraceEntry, ...]

    @property
    def nodes(self) -> dict[str, TraceEntry]:
        """The trace entry of each node by its code."""
        return {entry.node: entry for entry in self.trace[:-1]}

    def points(self, code: str) -> Decimal | None:
        """The points of one node (None when it does not apply or scores nothing)."""
        return self.nodes[code].points

    def as_dict(self) -> dict:
        """JSON-serialisable: Decimals as strings, inputs as a mapping."""
        return {**self.summary(), "trace": [entry_dict(e) for e in self.trace]}

    def summary(self) -> dict:
        """`as_dict` without the trace."""
        return {
            "engine": self.engine,
            "template": self.template,
            "version": self.version,
            "total": str(self.total),
            "max_points": str(self.max_points),
            "outcome": self.outcome,
            "admissible": self.admissible,
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Result:
        """The Result `as_dict` gave."""
        return cls(
            template=data["template"],
            version=int(data["version"]),
            engine=data["engine"],
            total=Decimal(data["total"]),
            max_points=Decimal(data["max_points"]),
            outcome=data["outcome"],
            admissible=bool(data["admissible"]),
            flags=tuple(data["flags"]),
            trace=tuple(_entry_from(e) for e in data["trace"]),
        )


def _s(value):
    return None if value is None else str(value)


def _d(value):
    return None if value is None else Decimal(value)


def entry_dict(e: TraceEntry, children=None) -> dict:
    """One trace entry as `as_dict` writes it (`children`, when given, stands for the list of
    an area's children, for a caller that writes them itself)."""
    inputs = {}
    for name, value in e.inputs:
        if name == "children":
            if children is None:
                children = [[c, _s(p), _s(m), _s(w)] for c, p, m, w in value]
            inputs[name] = children
        elif name in _DECIMAL_INPUTS:
            inputs[name] = _s(value)
        else:
            inputs[name] = value
    return {
        "node": e.node,
        "kind": e.kind,
        "applicable": e.applicable,
        "reason": e.reason,
        "rule": e.rule,
        "inputs": inputs,
        "points": _s(e.points),
        "max_points": _s(e.max_points),
        "outcome": e.outcome,
    }


def _entry_from(d: Mapping) -> TraceEntry:
    inputs = []
    for name, value in d["inputs"].items():
        if name == "children":
            value = tuple((c, _d(p), _d(m), _d(w)) for c, p, m, w in value)
        elif name in _DECIMAL_INPUTS:
            value = _d(value)
        inputs.append((name, value))
    return TraceEntry(
        d["node"],
        d["kind"],
        d["applicable"],
        d["reason"],
        d["rule"],
        tuple(inputs),
        _d(d["points"]),
        _d(d["max_points"]),
        d["outcome"],
    )


def _reasons(plan, subject: Mapping[str, str]) -> dict[int, str]:
    """Why each node that does not apply does not (by plan index)."""
    out: dict[int, str] = {}
    for op in plan.pre:  # parents first
        parent = op.parent
        if parent is not None and parent.index in out:
            out[op.index] = messages.within(parent.code)
            continue
        for attribute, allowed, prefix, shown in op.rules:
            value = subject.get(attribute)
            if value is None or value == "":
                continue
            if prefix:
                code = str(value).replace(".", "")
                ok = any(code.startswith(p) for p in allowed)
            else:
                ok = value in allowed
            if not ok:
                out[op.index] = messages.not_among(attribute, value, shown)
                break
    return out


def evaluate(
    template: Template, answers: Mapping[str, Answer], subject: Mapping[str, str] = _EMPTY
) -> Result:
    """Evaluate `answers` (by node code) on `template` for `subject` (its attributes:
    size_class, ateco, legal_form, call_line); see the module docstring for the rules."""
    plan = compile_plan(template)
    reasons = _reasons(plan, subject) if plan.conditional and subject else _EMPTY
    q, mode, renormalise = plan.quantum, plan.rounding, plan.renormalise
    n = len(plan.ops)
    points: list = [None] * n
    read: list = [None] * n  # (code, points, maximum, weight) of each scored node
    trace: list = [None] * n
    flags: list[str] = []
    gate_failed = threshold_failed = False
    new = tuple.__new__
    get = answers.get
    divide = CONTEXT.divide
    exact, add, multiply = EXACT.divide, EXACT.add, EXACT.multiply
    for op in plan.leaves:  # leaves and gates: from the plan's table, or computed
        i = op.index
        if reasons and i in reasons:
            trace[i] = new(TraceEntry, (op.code, op.kind, False, reasons[i], "", (), None, None,
                                        "not_applicable"))  # fmt: skip
            continue
        answer = get(op.code)
        if answer is None:
            done = op.unanswered
        else:
            given = answer.value
            kind = given.__class__
            if kind is op.key_class:
                done = op.table.get(given) or leaf(op, given, q, mode)
            elif kind is Decimal and op.fast and given.is_finite() and op.low <= given <= op.high:
                p = (given * op.mult).quantize(q, mode)
                threshold = op.threshold
                if threshold is None or p >= threshold:
                    points[i] = p
                    top = op.max
                    read[i] = (op.code, p, top, op.weight)
                    trace[i] = new(TraceEntry, (op.code, op.kind, True, "", op.rule,
                                                (("value", given),), p, top, ""))  # fmt: skip
                    continue
                done = leaf(op, given, q, mode)
            else:
                done = leaf(op, given, q, mode)
        points[i], trace[i], more, failed_gate, failed, read[i] = done
        if more:
            flags.extend(more)
            gate_failed = gate_failed or failed_gate
            threshold_failed = threshold_failed or failed
    for op in plan.groups:  # areas, bonus groups and the template, children first
        i = op.index
        if reasons and i in reasons:
            trace[i] = new(TraceEntry, (op.code, op.kind, False, reasons[i], "", (), None, None,
                                        "not_applicable"))  # fmt: skip
            continue
        kind = op.op
        kids = []
        total = have = ZERO
        for index in op.kids:
            kid = read[index]
            if kid is not None:
                kids.append(kid)
                total += kid[1]
                have += kid[2]
        rule = op.rule
        top = op.max
        if kind == BONUS_GROUP:
            p = total
            if op.cap is not None and p > op.cap:
                p = op.cap.quantize(q, mode)
            inputs, outcome = (("children", tuple(kids)),), ""
        elif not kids:
            trace[i] = new(TraceEntry, (op.code, op.kind, True, "", rule, (), None, None,
                                        "unscored"))  # fmt: skip
            if kind == ROOT:
                points[i] = ZERO
                if op.threshold:
                    threshold_failed = True
                    flags.append("below_threshold")
            continue
        else:  # an area or the template
            aggregation = op.aggregation
            if aggregation == "weighted_sum":
                raw = total
                if have != top:
                    if renormalise:
                        raw = divide(total * top, have)
                        rule = messages.RENORMALISED
                    else:
                        top = have
            elif aggregation == "normalised":
                raw = divide(total * top, have)
            elif aggregation == "minimum":
                low = min(kids, key=lambda k: divide(k[1], k[2]))
                raw = divide(low[1] * top, low[2])
            else:  # weighted_mean, exact
                try:  # exact in decimals, as it nearly always is
                    weights = acc = ZERO
                    for _code, child, maximum, weight in kids:
                        weights = add(weights, weight)
                        acc = add(acc, multiply(weight, exact(child, maximum)))
                    raw = exact(multiply(acc, top), weights)
                except Inexact:  # a third or a seventh: exactly, on integers
                    raw = _exact_mean(kids, top, plan.decimals, mode)
            raw = raw.quantize(q, mode)
            inputs = [("children", tuple(kids)), ("raw", raw)]
            p = raw
            if op.negatives:
                deductions = sum(
                    (points[c.index] for c in op.negatives if points[c.index] is not None), ZERO
                )
                inputs.append(("deductions", deductions))
                p -= deductions
            if op.bonuses:
                bonus = sum(
                    (points[c.index] for c in op.bonuses if points[c.index] is not None), ZERO
                )
                inputs.append(("bonus", bonus))
                p += bonus
            if p < 0:
                p = ZERO.quantize(q)
            elif p > top:
                p = top.quantize(q, mode)
            inputs, outcome = tuple(inputs), ""
        threshold = op.threshold
        if threshold is not None and p < threshold:
            outcome = "below_threshold"
            if op.fails:
                threshold_failed = True
                flags.append("below_threshold" if kind == ROOT else "threshold_failed:" + op.code)
            else:
                flags.append("threshold_flagged:" + op.code)
        points[i] = p
        if top:
            read[i] = (op.code, p, top, op.weight)
        trace[i] = new(TraceEntry, (op.code, op.kind, True, "", rule, inputs, p, top, outcome))
    root = plan.root.index
    if gate_failed:
        result = "not_admissible"
    elif threshold_failed:
        result = "below_threshold"
    else:
        result = "admissible"
    total = points[root]
    return Result(
        template=template.code,
        version=template.version,
        engine=ENGINE_VERSION,
        total=total.quantize(q) if total is not None else ZERO,
        max_points=read[root][2] if read[root] is not None else ZERO,
        outcome=result,
        admissible=not gate_failed,
        flags=tuple(flags),
        trace=tuple(trace),
    )


def _exact_mean(kids: list, top: Decimal, decimals: int, mode: str) -> Decimal:
    """`top × Σ(weight × points ÷ maximum) ÷ Σ weight`, computed exactly on integers and
    rounded once: a weighted mean never depends on the order of its terms."""
    num, den = 0, 1
    wnum, wden = 0, 1
    for _code, points, maximum, weight in kids:
        pn, pd = points.as_integer_ratio()
        mn, md = maximum.as_integer_ratio()
        wn, wd = weight.as_integer_ratio()
        tn, td = wn * pn * md, wd * pd * mn
        num, den = num * td + tn * den, den * td
        wnum, wden = wnum * wd + wn * wden, wden * wd
    tn, td = top.as_integer_ratio()
    return round_ratio(num * tn * wden * 10**decimals, den * td * wnum, decimals, mode)


def round_ratio(num: int, den: int, decimals: int, mode: str) -> Decimal:
    """The non-negative `num ÷ den ÷ 10**decimals`, rounded exactly with `mode`."""
    whole, rest = divmod(num, den)
    twice = 2 * rest
    if rest and (
        mode in ("ROUND_UP", "ROUND_CEILING")
        or (mode == "ROUND_HALF_UP" and twice >= den)
        or (mode == "ROUND_HALF_DOWN" and twice > den)
        or (mode == "ROUND_HALF_EVEN" and (twice > den or (twice == den and whole % 2)))
    ):
        whole += 1
    return Decimal(whole).scaleb(-decimals)
