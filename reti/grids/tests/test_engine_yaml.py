"""Templates from YAML: every error named by node and field, nothing returned on error, and
the round trip load(dump(t)) == t."""

import pytest

from reti.grids.engine import Problem, TemplateError, dump_template, load_template

HEAD = """
code: demo
version: 1
status: draft
title: {it: Prova, en: Demo}
source: Reti, synthetic demo data
licence: CC BY 4.0
max_points: 20
scales:
  zero-five: {kind: range, min: 0, max: 5, step: 1}
"""


def problems_of(text):
    with pytest.raises(TemplateError) as caught:
        load_template(text)
    return caught.value.problems


def test_a_valid_template_round_trips():
    text = (
        HEAD
        + """
nodes:
  - code: A
    kind: area
    label: {it: Area, en: Area}
    guidance: {it: Leggere, en: Read}
    tags: [iso26000:6.4, ESRS:S1]
    children:
      - {code: A1, kind: criterion, label: {it: a, en: a}, scale: zero-five, max_points: 10,
         evidence: [document], applicability: {ateco: ["62.01", "10"]}}
      - {code: A2, kind: criterion, label: {it: b, en: b}, scale: zero-five, weight: 2}
"""
    )
    template = load_template(text)
    assert template.node("A1").applicability == {"ateco": ("62.01", "10")}
    again = load_template(dump_template(template))
    assert again == template
    assert dump_template(again) == dump_template(template)


def test_unknown_scale_is_named_by_node_and_field():
    problems = problems_of(
        HEAD
        + """
nodes:
  - {code: A1, kind: criterion, label: {it: a, en: a}, scale: one-ten, max_points: 20}
"""
    )
    assert Problem("A1", "scale", "unknown scale 'one-ten'") in problems


def test_maxima_that_do_not_add_up_as_declared():
    problems = problems_of(
        HEAD
        + """
nodes:
  - {code: A1, kind: criterion, label: {it: a, en: a}, scale: zero-five, max_points: 12}
"""
    )
    assert [(p.node, p.field) for p in problems] == [("", "max_points")]
    assert "add up to 12, not the declared 20" in problems[0].message


def test_every_problem_is_reported_at_once():
    problems = problems_of(
        HEAD
        + """
nodes:
  - code: A
    kind: area
    label: {it: Area}
    max_points: 20
    children:
      - {code: A1, kind: criterion, label: {it: a, en: a}, scale: zero-five, max_points: 10}
      - {code: A1, kind: criterion, label: {it: b, en: b}, scale: zero-five, max_points: 10}
      - {code: A3, kind: widget, label: {it: c, en: c}}
      - {code: A4, kind: criterion, label: {it: d, en: d}, scale: zero-five, colour: red}
      - {code: A5, kind: gate, label: {it: e, en: e}, scale: zero-five}
"""
    )
    found = {(p.node, p.field) for p in problems}
    assert ("A", "label") in found  # missing English
    assert ("A1", "code") in found  # duplicate
    assert ("A3", "kind") in found
    assert ("A4", "colour") in found  # unknown field
    assert ("A5", "scale") in found  # a gate is yes/no
    assert any("missing translation 'en'" in p.message for p in problems if p.node == "A")


def test_a_cycle_through_yaml_aliases_is_refused():
    problems = problems_of(
        HEAD
        + """
nodes:
  - &loop
    code: A
    kind: area
    label: {it: a, en: a}
    children:
      - *loop
"""
    )
    assert Problem("A", "children", "cycle: the node contains itself") in problems


def test_a_scale_with_a_step_that_does_not_divide_it():
    problems = problems_of(
        HEAD.replace("step: 1", "step: 2")
        + """
nodes:
  - {code: A1, kind: criterion, label: {it: a, en: a}, scale: zero-five, max_points: 20}
"""
    )
    assert ("scale:zero-five", "step") in {(p.node, p.field) for p in problems}


def test_levels_need_a_rubric_in_both_languages_and_increasing_values():
    problems = problems_of(
        HEAD
        + """
  q:
    kind: levels
    levels:
      - {code: lo, value: 2, label: {it: basso, en: low}, rubric: {it: r, en: r}}
      - {code: hi, value: 1, label: {it: alto, en: high}, rubric: {it: r}}
nodes:
  - {code: A1, kind: criterion, label: {it: a, en: a}, scale: q, max_points: 20}
"""
    )
    found = {(p.node, p.field) for p in problems}
    assert ("scale:q/hi", "rubric") in found
    assert ("scale:q/hi", "value") in found


def test_yaml_that_is_not_a_template():
    assert problems_of("- just\n- a list\n") == [
        Problem("", "yaml", "a template is a mapping of fields")
    ]
    assert problems_of("code: [unclosed\n")[0].field == "yaml"


def test_applicability_on_unknown_attributes_and_size_classes():
    problems = problems_of(
        HEAD
        + """
nodes:
  - {code: A1, kind: criterion, label: {it: a, en: a}, scale: zero-five, max_points: 20,
     applicability: {size_class: [tiny], colour: [red]}}
"""
    )
    messages = {p.message for p in problems if p.field == "applicability"}
    assert "unknown attribute 'colour'" in messages
    assert "size classes are micro, small, medium, large" in messages
