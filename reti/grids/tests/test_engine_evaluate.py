"""evaluate on hand-made grids: every figure below is worked out by hand in the comments."""

import json
from decimal import Decimal as D

from reti.grids.engine import Answer, Result, evaluate, load_template

GRID = """
code: demo
version: 1
status: draft
title: {it: Griglia di prova, en: Demo grid}
source: Reti, synthetic demo data
licence: CC BY 4.0
max_points: 30
threshold: 18
scales:
  zero-five: {kind: range, min: 0, max: 5, step: 1}
  quality:
    kind: levels
    levels:
      - {code: poor, value: 0, label: {it: Scarso, en: Poor}, rubric: {it: r, en: r}}
      - {code: fair, value: 1, label: {it: Discreto, en: Fair}, rubric: {it: r, en: r}}
      - {code: good, value: 3, label: {it: Buono, en: Good}, rubric: {it: r, en: r}}
  yes-no: {kind: yesno}
  share: {kind: percent}
nodes:
  - {code: G1, kind: gate, label: {it: Firma, en: Signature}}
  - code: A
    kind: area
    label: {it: Area A, en: Area A}
    threshold: 8
    children:
      - {code: A1, kind: criterion, label: {it: a1, en: a1}, scale: zero-five, max_points: 10}
      - {code: A2, kind: criterion, label: {it: a2, en: a2}, scale: quality, max_points: 10}
      - {code: AN, kind: negative, label: {it: n, en: n}, scale: yes-no, max_points: 2}
  - code: B
    kind: criterion
    label: {it: b, en: b}
    scale: zero-five
    weight: 2
    applicability: {size_class: [small, medium, large]}
"""


def grid():
    return load_template(GRID)


STRONG = {
    "G1": Answer(True),
    "A1": Answer(D(5)),
    "A2": Answer("good"),
    "AN": Answer(False),
    "B": Answer(D(4)),
}


def test_weighted_sum_adds_the_points_of_the_criteria():
    result = evaluate(grid(), STRONG)
    # A1 5/5 x 10 = 10; A2 3/3 x 10 = 10; no deduction; B 4 x weight 2 = 8.
    assert result.points("A1") == D("10.00")
    assert result.points("A") == D("20.00")
    assert result.points("B") == D("8.00")
    assert result.total == D("28.00")
    assert result.max_points == D(30)
    assert result.outcome == "admissible"
    assert result.admissible


def test_a_level_scores_its_value_over_the_highest_value():
    result = evaluate(grid(), {**STRONG, "A2": Answer("fair")})
    assert result.points("A2") == D("3.33")  # 1/3 x 10


def test_a_negative_aspect_subtracts_from_its_area():
    result = evaluate(grid(), {**STRONG, "AN": Answer(True)})
    assert result.points("A") == D("18.00")
    entry = result.nodes["A"]
    assert dict(entry.inputs)["deductions"] == D("2.00")
    assert dict(entry.inputs)["raw"] == D("20.00")


def test_a_failed_gate_is_not_admissible_whatever_the_points():
    result = evaluate(grid(), {**STRONG, "G1": Answer(False)})
    assert result.total == D("28.00")
    assert result.outcome == "not_admissible"
    assert not result.admissible
    assert "gate_failed:G1" in result.flags


def test_an_unanswered_gate_fails_and_is_flagged():
    answers = dict(STRONG)
    del answers["G1"]
    result = evaluate(grid(), answers)
    assert result.outcome == "not_admissible"
    assert {"gate_failed:G1", "unanswered:G1"} <= set(result.flags)


def test_below_the_template_threshold():
    result = evaluate(grid(), {**STRONG, "A1": Answer(D(0)), "B": Answer(D(1))})
    # A = 0 + 10 = 10; B = 2; total 12 < 18.
    assert result.total == D("12.00")
    assert result.outcome == "below_threshold"
    assert result.admissible


def test_a_node_below_its_threshold_fails_the_assessment():
    result = evaluate(grid(), {**STRONG, "A2": Answer("poor"), "A1": Answer(D(3))})
    assert result.points("A") == D("6.00")
    assert result.nodes["A"].outcome == "below_threshold"
    assert "threshold_failed:A" in result.flags
    assert result.outcome == "below_threshold"


def test_a_node_not_applicable_is_removed_and_the_rest_renormalised():
    result = evaluate(grid(), STRONG, {"size_class": "micro"})
    entry = result.nodes["B"]
    assert not entry.applicable
    assert entry.reason == "size_class 'micro' is not among small, medium, large"
    # Only A applies: 20 of 20, renormalised to the template's 30.
    assert result.total == D("30.00")
    assert result.max_points == D(30)
    assert "renormalised" in result.trace[-1].rule


def test_a_subject_that_does_not_state_its_size_sees_every_node():
    assert evaluate(grid(), STRONG, {"legal_form": "srl"}).nodes["B"].applicable


def test_unanswered_and_invalid_answers_score_zero_and_are_flagged():
    result = evaluate(grid(), {**STRONG, "A1": Answer(D(9)), "B": Answer(None)})
    assert result.points("A1") == D("0.00")
    assert result.points("B") == D("0.00")
    assert {"invalid:A1", "unanswered:B"} <= set(result.flags)


def test_the_trace_has_one_entry_per_node_then_the_total():
    result = evaluate(grid(), STRONG)
    codes = [entry.node for entry in result.trace]
    assert sorted(codes[:-1]) == ["A", "A1", "A2", "AN", "B", "G1"]
    assert codes[-1] == "demo"
    a1 = result.nodes["A1"]
    assert a1.rule == "value × 10 ÷ 5"
    assert a1.inputs == (("value", D(5)),)
    children = dict(result.nodes["A"].inputs)["children"]
    assert [c[0] for c in children] == ["A1", "A2"]


def test_the_result_survives_json():
    result = evaluate(grid(), {**STRONG, "AN": Answer(True)}, {"size_class": "micro"})
    data = json.loads(json.dumps(result.as_dict()))
    assert data["total"] == result.total.to_eng_string()
    assert Result.from_dict(data) == result


def test_check_answers_when_complete_asks_for_every_leaf_that_applies():
    from reti.grids.engine import Problem, check_answers

    answers = {"G1": Answer(True), "A1": Answer(D(5), justification="Top marks: see p. 3.")}
    problems = check_answers(grid(), answers, {"size_class": "micro"}, complete=True)
    assert {(p.node, p.field) for p in problems} == {
        ("A2", "value"),
        ("AN", "value"),
    }  # B does not apply to a micro firm
    assert Problem("A2", "value", "not answered") in problems
    assert check_answers(grid(), answers, {"size_class": "micro"}) == []


def test_answers_of_the_wrong_type_are_invalid_not_errors():
    result = evaluate(grid(), {**STRONG, "A1": Answer("5"), "A2": Answer(3), "G1": Answer(1)})
    assert {"invalid:A1", "invalid:A2", "invalid:G1", "gate_failed:G1"} <= set(result.flags)
    assert result.outcome == "not_admissible"
    assert evaluate(grid(), {**STRONG, "A1": Answer(5)}).points("A1") == D("10.00")


def test_the_callers_decimal_context_does_not_change_a_result():
    from decimal import ROUND_FLOOR, localcontext

    answers = {**STRONG, "A2": Answer("fair")}
    expected = evaluate(grid(), answers, {"size_class": "micro"})
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 6, ROUND_FLOOR
        assert evaluate(grid(), answers, {"size_class": "micro"}) == expected
