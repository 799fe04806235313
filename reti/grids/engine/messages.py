"""The engine's words as codes and parameters, so that the app can say them in any language.

The trace keeps the engine's English text (stored results are replayed and compared word for
word by `reti grids verify`), and every such text is built here from a code and its
parameters; `read_rule`, `read_reason` and `read_flag` give the code and the parameters back.
The app translates codes (reti/grids/messages.py, gettext); the engine never imports Django.

Rules of the trace (`TraceEntry.rule`):

| code | parameters | English |
|---|---|---|
| `gate` | | gate: yes passes; no or no answer fails |
| `leaf` | max, scale_max | value × 10 ÷ 4 |
| `deduction` | max, scale_max | deduction: value × 5 ÷ 4 |
| `bonus_leaf` | max, scale_max, cap | bonus: value × 3 ÷ 1, capped at 3 |
| `bonus_group` | cap | bonus: sum of criteria, capped at 10 |
| `weighted_sum`, `weighted_mean`, `minimum`, `normalised` | | the aggregation's name |
| `weighted_sum_renormalised` | | weighted_sum, renormalised to the maximum |

Reasons a node does not apply (`TraceEntry.reason`): `within` (parent) and `not_among`
(attribute, value, allowed). Flags (`Result.flags`): `gate_failed`, `threshold_failed`,
`threshold_flagged`, `unanswered`, `invalid` (each with the node), and `below_threshold`
(the total).
"""

from __future__ import annotations

import re

AGGREGATIONS = ("weighted_sum", "weighted_mean", "minimum", "normalised")
GATE = "gate: yes passes; no or no answer fails"
RENORMALISED = "weighted_sum, renormalised to the maximum"
BONUS_GROUP = "bonus: sum of criteria"
_SHAPE = "value × {max} ÷ {scale_max}"
_CAPPED = ", capped at {cap}"
_WITHIN = "within '{parent}', which does not apply"
_NOT_AMONG = "{attribute} '{value}' is not among {allowed}"
FLAGS = ("gate_failed", "threshold_failed", "threshold_flagged", "unanswered", "invalid")

_NUMBER = r"-?[0-9][0-9.E+-]*"
_SHAPE_RE = rf"value × (?P<max>{_NUMBER}) ÷ (?P<scale_max>{_NUMBER})"
_CAP_RE = rf"(?:, capped at (?P<cap>{_NUMBER}))?"
_RULES = (
    ("leaf", re.compile(rf"{_SHAPE_RE}")),
    ("deduction", re.compile(rf"deduction: {_SHAPE_RE}")),
    ("bonus_leaf", re.compile(rf"bonus: {_SHAPE_RE}{_CAP_RE}")),
    ("bonus_group", re.compile(rf"bonus: sum of criteria{_CAP_RE}")),
)
_REASONS = (
    ("within", re.compile(r"within '(?P<parent>.*)', which does not apply")),
    (
        "not_among",
        re.compile(r"(?P<attribute>[a-z_]+) '(?P<value>.*)' is not among (?P<allowed>.*)"),
    ),
)


def capped(cap) -> str:
    return "" if cap is None else _CAPPED.format(cap=cap)


def shape(maximum, scale_max) -> str:
    return _SHAPE.format(max=maximum, scale_max=scale_max)


def within(parent: str) -> str:
    return _WITHIN.format(parent=parent)


def not_among(attribute: str, value, allowed: str) -> str:
    return _NOT_AMONG.format(attribute=attribute, value=value, allowed=allowed)


def read_rule(text: str) -> tuple[str, dict] | None:
    """The code and parameters of a trace's rule; None for no rule ("")."""
    if not text:
        return None
    if text == GATE:
        return "gate", {}
    if text in AGGREGATIONS:
        return text, {}
    if text == RENORMALISED:
        return "weighted_sum_renormalised", {}
    for code, pattern in _RULES:
        found = pattern.fullmatch(text)
        if found:
            return code, {k: v for k, v in found.groupdict().items() if v is not None}
    return "other", {"text": text}


def read_reason(text: str) -> tuple[str, dict] | None:
    """The code and parameters of why a node does not apply; None when it applies."""
    if not text:
        return None
    for code, pattern in _REASONS:
        found = pattern.fullmatch(text)
        if found:
            return code, found.groupdict()
    return "other", {"text": text}


def read_flag(flag: str) -> tuple[str, str]:
    """A flag's code and node ("" for the total's `below_threshold`)."""
    code, _, node = flag.partition(":")
    return code, node
