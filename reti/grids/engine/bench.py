"""How fast the engine is: `python -m reti.grids.engine.bench`.

Evaluates a synthetic 60-node grid (five summed areas of ten criteria on levels, ranges,
percentages and yes/no, four gates, one negative aspect) 10,000 times with full traces, the
same on a weighted-mean variant, and ranks 50,000 entries with three tie-breaks. Prints the
best of three runs of each. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from .evaluate import evaluate
from .model import Answer, Level, Node, Scale, Template
from .ranking import Entry, rank

T = {"it": "voce", "en": "item"}
SCALES = {
    "levels": Scale(
        "levels",
        "levels",
        levels=tuple(
            Level(c, Decimal(v), T, T) for c, v in (("a", 0), ("b", 1), ("c", 2), ("d", 3))
        ),
    ),
    "range": Scale("range", "range", min=Decimal(0), max=Decimal(10), step=Decimal("0.5")),
    "percent": Scale("percent", "percent"),
    "yesno": Scale("yesno", "yesno"),
}
KINDS = ("levels", "range", "percent", "yesno")


def grid(rule: str = "weighted_sum") -> Template:
    """The 60-node grid: 4 gates, 5 areas x 10 criteria, 1 negative aspect."""
    areas = []
    for a in range(5):
        criteria = tuple(
            Node(f"A{a}.{c}", "criterion", T, scale=KINDS[c % 4], max_points=Decimal(2))
            for c in range(10)
        )
        areas.append(
            Node(f"A{a}", "area", T, aggregation=rule, children=criteria,
                 max_points=Decimal(20) if rule != "weighted_sum" else None)
        )  # fmt: skip
    gates = tuple(Node(f"G{g}", "gate", T, scale="yesno") for g in range(4))
    negative = Node("N", "negative", T, scale="levels", max_points=Decimal(5))
    return Template(
        code="bench", version=1, status="draft", title=T, source="Reti, synthetic",
        licence="CC BY 4.0", nodes=(*gates, *areas, negative), scales=SCALES,
        max_points=Decimal(100), threshold=Decimal(60), aggregation=rule,
    )  # fmt: skip


def answers(template: Template, rng: random.Random) -> dict[str, Answer]:
    out = {}
    for node in template.walk():
        if node.kind == "area":
            continue
        kind = SCALES[node.scale].kind
        if kind == "levels":
            out[node.code] = Answer(rng.choice("abcd"))
        elif kind == "range":
            out[node.code] = Answer(Decimal(rng.randint(0, 20)) / 2)
        elif kind == "percent":
            out[node.code] = Answer(Decimal(rng.randint(0, 100)))
        else:
            out[node.code] = Answer(rng.random() < 0.95)
    return out


def best_of(runs, work) -> float:
    """The best CPU time of `runs` runs (on a shared machine, wall time measures the others)."""
    timings = []
    for _ in range(runs):
        start = time.process_time()
        work()
        timings.append(time.process_time() - start)
    return min(timings)


def main() -> None:
    rng = random.Random(16)
    calibration = best_of(5, lambda: [sum(range(1000)) for _ in range(1000)])
    print(f"calibration, 1,000 x sum(range(1000)): {calibration:.3f} s "
          f"(about 0.010 s on an idle recent x86-64 with CPython 3.11)")  # fmt: skip
    for rule in ("weighted_sum", "weighted_mean"):
        template = grid(rule)
        nodes = sum(1 for _ in template.walk())
        sets = [answers(template, rng) for _ in range(10_000)]
        seconds = best_of(3, lambda t=template, s=sets: [evaluate(t, a) for a in s])
        print(f"evaluate {rule}: {nodes} nodes x 10,000 with traces: {seconds:.3f} s")
    entries = [
        Entry(f"s{i}", Decimal(rng.randint(0, 400)) / 4, {"A0": Decimal(rng.randint(0, 18))},
              None, "admissible")
        for i in range(50_000)
    ]  # fmt: skip
    seconds = best_of(3, lambda: rank(entries, ["node:A0", "submitted_at", "lot"], seed=16))
    print(f"rank 50,000 entries, three tie-breaks: {seconds:.3f} s")


if __name__ == "__main__":
    main()
