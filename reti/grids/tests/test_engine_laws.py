"""The engine's laws, held on random valid templates and answers (hypothesis).

Bounds; monotonicity in every answer; the order of children is irrelevant; a child of weight 0
changes nothing; a node that does not apply changes nothing (anywhere when the template
shrinks, under a mean, minimum or normalised node when it renormalises: a renormalised sum
keeps its maximum, so a new node under it would change that maximum); a failed gate is always
"not_admissible"; weights scaled by a constant leave a weighted mean as it is and scale a
weighted sum by that constant; rounding is ROUND_HALF_UP to 2 decimals per node; the YAML and
the JSON of a result round-trip.
"""

import itertools
import json
from dataclasses import replace
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reti.grids.engine import (
    Answer,
    Level,
    Node,
    Result,
    Rounding,
    Scale,
    Template,
    dump_template,
    evaluate,
    load_template,
    validate,
)
from reti.grids.engine.validate import static_max

LAWS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
T = {"it": "testo", "en": "text"}
SCALES = {
    "r5": Scale("r5", "range", min=D(0), max=D(5), step=D(1)),
    "r10": Scale("r10", "range", min=D(1), max=D(10), step=D("0.5")),
    "lv": Scale(
        "lv",
        "levels",
        levels=tuple(Level(c, D(v), T, T) for c, v in (("a", 0), ("b", 1), ("c", 2), ("d", 4))),
    ),
    "yn": Scale("yn", "yesno"),
    "pc": Scale("pc", "percent"),
}
SIZES = ("micro", "small", "medium", "large")
MEANS = ("weighted_mean", "minimum", "normalised")


@st.composite
def templates(draw, rules=("weighted_sum", *MEANS), extras=True, declared=None, conditional=True):
    """A valid template: areas up to three deep, criteria on every kind of scale, and (with
    `extras`) negative aspects, bonuses, gates and applicability by size class."""
    counter = itertools.count(1)

    def applicability():
        if conditional and draw(st.integers(0, 4)) == 0:
            return {"size_class": tuple(draw(st.sets(st.sampled_from(SIZES), min_size=1)))}
        return {}

    def leaf(kind="criterion"):
        has_max = draw(st.booleans()) if declared is None else declared
        node = Node(
            code=f"N{next(counter)}",
            kind=kind,
            label=T,
            scale=draw(st.sampled_from(sorted(SCALES))),
            weight=D(draw(st.integers(1, 5))),
            max_points=D(draw(st.integers(1, 20))) if has_max or kind != "criterion" else None,
            applicability=applicability(),
        )
        if kind == "bonus" and draw(st.booleans()):
            node = replace(node, cap=D(draw(st.integers(1, 10))))
        return node

    def children(depth):
        kids = []
        for _ in range(draw(st.integers(1, 4))):
            if depth < 3 and draw(st.integers(0, 3)) == 0:
                kids.append(area(depth + 1))
            else:
                kids.append(leaf())
        if extras:
            for kind in ("negative", "bonus", "gate"):
                if draw(st.integers(0, 3)) == 0:
                    kids.append(
                        Node(f"N{next(counter)}", "gate", T, scale="yn")
                        if kind == "gate"
                        else leaf(kind)
                    )
        return tuple(kids)

    def area(depth):
        rule = draw(st.sampled_from(rules))
        return Node(
            code=f"N{next(counter)}",
            kind="area",
            label=T,
            aggregation=rule,
            weight=D(draw(st.integers(1, 3))),
            max_points=None if rule == "weighted_sum" else D(draw(st.integers(1, 50))),
            applicability=applicability(),
            children=children(depth),
        )

    rule = draw(st.sampled_from(rules))
    nodes = children(0)
    template = Template(
        code="random",
        version=1,
        status="draft",
        title=T,
        source="Reti, synthetic",
        licence="CC BY 4.0",
        nodes=nodes,
        scales=SCALES,
        aggregation=rule,
        not_applicable=draw(st.sampled_from(("renormalise", "shrink"))),
    )
    template = with_root_max(
        template, None if rule == "weighted_sum" else draw(st.integers(10, 100))
    )
    if draw(st.booleans()):
        template = replace(
            template, threshold=min(template.max_points, D(draw(st.integers(0, 10))))
        )
    assert validate(template) == [], validate(template)
    return template


def with_root_max(template, declared=None):
    if template.aggregation == "weighted_sum":
        total = sum(
            (
                static_max(n, template.scales)
                for n in template.nodes
                if n.kind in ("area", "criterion")
            ),
            D(0),
        )
        return replace(template, max_points=total)
    return replace(template, max_points=D(declared) if declared else template.max_points)


def value(draw, scale):
    if scale.kind == "yesno":
        return draw(st.booleans())
    if scale.kind == "levels":
        return draw(st.sampled_from([level.code for level in scale.levels]))
    if scale.kind == "percent":
        return D(draw(st.integers(0, 100)))
    steps = int((scale.max - scale.min) / scale.step)
    return scale.min + scale.step * draw(st.integers(0, steps))


def numeric(scale, answer):
    if scale.kind == "yesno":
        return D(int(answer))
    if scale.kind == "levels":
        return scale.level(answer).value
    return answer


@st.composite
def answered(draw, **kwargs):
    """A template, answers to all its leaves (a few left blank, gates passed) and a subject."""
    template = draw(templates(**kwargs))
    answers = {}
    for node in template.walk():
        if node.kind == "gate":
            answers[node.code] = Answer(True)
        elif node.kind != "area" and node.scale and draw(st.integers(0, 9)):
            answers[node.code] = Answer(value(draw, SCALES[node.scale]))
    subject = {"size_class": draw(st.sampled_from(SIZES))} if draw(st.booleans()) else {}
    return template, answers, subject


def transform(nodes, change):
    """The tree with `change(node)` applied to every node, children first."""
    return tuple(change(replace(n, children=transform(n.children, change))) for n in nodes)


def insert(template, parent_code, node):
    if parent_code is None:
        return with_root_max(replace(template, nodes=(*template.nodes, node)))

    def add(n):
        return replace(n, children=(*n.children, node)) if n.code == parent_code else n

    return with_root_max(replace(template, nodes=transform(template.nodes, add)))


def scores(result):
    return {code: (e.points, e.max_points, e.applicable) for code, e in result.nodes.items()}


@LAWS
@given(answered())
def test_bounds(case):
    template, answers, subject = case
    result = evaluate(template, answers, subject)
    assert D(0) <= result.total <= result.max_points <= template.max_points
    for entry in result.trace:
        if entry.points is not None and entry.kind in ("area", "criterion", "template"):
            assert D(0) <= entry.points <= entry.max_points


@LAWS
@given(answered(), st.data())
def test_monotone_in_every_answer(case, data):
    template, answers, subject = case
    leaves = [
        n for n in template.walk() if n.kind in ("criterion", "negative", "bonus") and n.scale
    ]
    node = data.draw(st.sampled_from(leaves))
    scale = SCALES[node.scale]
    one, two = value(data.draw, scale), value(data.draw, scale)
    low, high = sorted((one, two), key=lambda v: numeric(scale, v))
    before = evaluate(template, {**answers, node.code: Answer(low)}, subject)
    after = evaluate(template, {**answers, node.code: Answer(high)}, subject)
    if node.kind == "negative":
        assert after.total <= before.total
    else:
        assert after.total >= before.total


@LAWS
@given(answered(), st.randoms(use_true_random=False))
def test_the_order_of_children_is_irrelevant(case, random):
    template, answers, subject = case

    def shuffle(n):
        kids = list(n.children)
        random.shuffle(kids)
        return replace(n, children=tuple(kids))

    roots = list(transform(template.nodes, shuffle))
    random.shuffle(roots)
    shuffled = replace(template, nodes=tuple(roots))
    assert scores(evaluate(shuffled, answers, subject)) == scores(
        evaluate(template, answers, subject)
    )
    assert evaluate(shuffled, answers, subject).total == evaluate(template, answers, subject).total


@LAWS
@given(answered(), st.data())
def test_a_child_of_weight_zero_changes_nothing(case, data):
    template, answers, subject = case
    areas = [None] + [n.code for n in template.walk() if n.kind == "area"]
    parent = data.draw(st.sampled_from(areas))
    zero = Node(
        "ZERO",
        "criterion",
        T,
        scale="r5",
        weight=D(0),
        max_points=data.draw(st.sampled_from([None, D(7)])),
    )
    changed = insert(template, parent, zero)
    answers = {**answers, "ZERO": Answer(D(data.draw(st.integers(0, 5))))}
    before, after = evaluate(template, answers, subject), evaluate(changed, answers, subject)
    assert (after.total, after.max_points, after.outcome) == (
        before.total,
        before.max_points,
        before.outcome,
    )
    assert {k: v for k, v in scores(after).items() if k != "ZERO"} == scores(before)


@LAWS
@given(answered(), st.data())
def test_a_node_that_does_not_apply_changes_nothing(case, data):
    template, answers, _ = case
    subject = {"size_class": "micro"}
    candidates = []
    for node in template.walk():
        if node.kind == "area" and (
            template.not_applicable == "shrink" or node.aggregation in MEANS
        ):
            candidates.append(node.code)
    if template.not_applicable == "shrink" or template.aggregation in MEANS:
        candidates.append(None)
    if not candidates:
        return
    parent = data.draw(st.sampled_from(candidates))
    extra = Node(
        "NA",
        data.draw(st.sampled_from(["criterion", "area"])),
        T,
        max_points=D(data.draw(st.integers(1, 30))),
        applicability={"size_class": ("large",)},
    )
    if extra.kind == "area":
        extra = replace(
            extra, children=(Node("NA1", "criterion", T, scale="r5", max_points=extra.max_points),)
        )
    else:
        extra = replace(extra, scale="r5")
    changed = insert(template, parent, extra)
    assert validate(changed) == []
    answers = {**answers, "NA": Answer(D(5)), "NA1": Answer(D(5))}
    before, after = evaluate(template, answers, subject), evaluate(changed, answers, subject)
    assert (after.total, after.max_points, after.outcome, after.flags) == (
        before.total,
        before.max_points,
        before.outcome,
        before.flags,
    )
    assert not after.nodes["NA"].applicable
    assert {k: v for k, v in scores(after).items() if not k.startswith("NA")} == scores(before)


@LAWS
@given(answered(), st.data())
def test_a_failed_gate_is_always_not_admissible(case, data):
    template, answers, _ = case
    parent = data.draw(
        st.sampled_from([None] + [n.code for n in template.walk() if n.kind == "area"])
    )
    gated = insert(template, parent, Node("GATE", "gate", T, scale="yn"))
    failed = data.draw(st.sampled_from([Answer(False), Answer(None)]))
    result = evaluate(gated, {**answers, "GATE": failed}, {})
    assert result.outcome == "not_admissible"
    assert not result.admissible
    assert "gate_failed:GATE" in result.flags


@LAWS
@given(answered(rules=(*MEANS, "weighted_sum"), declared=True), st.integers(2, 9))
def test_weights_scaled_by_a_constant_leave_a_mean_unchanged(case, k):
    template, answers, subject = case
    means = {
        n.code for n in template.walk() if n.aggregation == "weighted_mean" and n.kind == "area"
    }

    def scale_children(n):
        if n.code in means:
            return replace(n, children=tuple(replace(c, weight=c.weight * k) for c in n.children))
        return n

    nodes = transform(template.nodes, scale_children)
    if template.aggregation == "weighted_mean":
        nodes = tuple(replace(n, weight=n.weight * k) for n in nodes)
    scaled = replace(template, nodes=nodes)
    assert scores(evaluate(scaled, answers, subject)) == scores(
        evaluate(template, answers, subject)
    )
    assert evaluate(scaled, answers, subject).total == evaluate(template, answers, subject).total


@LAWS
@given(
    answered(rules=("weighted_sum",), extras=False, declared=False, conditional=False),
    st.integers(2, 9),
)
def test_a_weighted_sum_scales_linearly_with_its_weights(case, k):
    template, answers, _ = case

    def heavier(n):
        return replace(n, weight=n.weight * k) if n.kind == "criterion" else n

    scaled = with_root_max(replace(template, nodes=transform(template.nodes, heavier)))
    assert scaled.max_points == template.max_points * k
    assert evaluate(scaled, answers).total == evaluate(template, answers).total * k


def test_rounding_is_half_up_to_two_decimals_per_node():
    scale = Scale("eighths", "range", min=D(0), max=D(8), step=D(1))
    criteria = tuple(
        Node(f"C{i}", "criterion", T, scale="eighths", max_points=D(1)) for i in (1, 2)
    )
    template = Template(
        code="rounding", version=1, status="draft", title=T, source="s", licence="l",
        nodes=criteria, scales={"eighths": scale}, max_points=D(2),
    )  # fmt: skip
    answers = {"C1": Answer(D(1)), "C2": Answer(D(3))}
    result = evaluate(template, answers)
    # 1/8 = 0.125 -> 0.13 and 3/8 = 0.375 -> 0.38 (half up); the total adds the rounded points.
    assert result.points("C1") == D("0.13")
    assert result.points("C2") == D("0.38")
    assert result.total == D("0.51")
    even = replace(template, rounding=Rounding(2, "ROUND_HALF_EVEN"))
    assert evaluate(even, answers).points("C1") == D("0.12")
    assert evaluate(even, answers).total == D("0.50")


@LAWS
@given(templates())
def test_yaml_round_trip(template):
    assert load_template(dump_template(template)) == template


@LAWS
@given(answered())
def test_a_result_round_trips_through_json(case):
    result = evaluate(*case)
    assert Result.from_dict(json.loads(json.dumps(result.as_dict()))) == result
