"""Whether independent evaluators of one subject disagree enough to call for more.

The rule (a template's `divergence`): the highest and the lowest total more than `points`
apart (strictly), or, with `gates`, a gate passed in one result and failed in another. A
gate's decision is read from the traces; a gate that does not apply in one result is not
compared. Fewer than two results never diverge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .evaluate import Result
from .model import DivergenceRule


@dataclass(frozen=True)
class Divergence:
    """`flag` is true when the results diverge; `reasons` say why; `spread` is the highest
    total minus the lowest; `gates` the codes of the gates decided differently."""

    flag: bool
    reasons: tuple[str, ...]
    spread: Decimal
    gates: tuple[str, ...] = ()


def divergence(results: Sequence[Result], rule: DivergenceRule) -> Divergence:
    """Compare the results of one subject by its evaluators under `rule`."""
    if len(results) < 2:
        return Divergence(False, (), Decimal(0))
    totals = [r.total for r in results]
    spread = max(totals) - min(totals)
    reasons = []
    if rule.points is not None and spread > rule.points:
        reasons.append(f"totals {spread} points apart, more than {rule.points}")
    split: list[str] = []
    if rule.gates:
        decided: dict[str, set[str]] = {}
        for result in results:
            for entry in result.trace:
                if entry.kind == "gate" and entry.applicable:
                    decided.setdefault(entry.node, set()).add(entry.outcome)
        split = sorted(code for code, outcomes in decided.items() if len(outcomes) > 1)
        if split:
            reasons.append("gates decided differently: " + ", ".join(split))
    return Divergence(bool(reasons), tuple(reasons), spread, tuple(split))
