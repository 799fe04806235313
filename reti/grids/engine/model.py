"""The grid model: frozen dataclasses for templates, nodes, scales and answers.

A template (griglia di valutazione) is a tree of nodes. Areas group other nodes; criteria are
scored on a scale; negative aspects subtract; gates are knock-outs (yes/no); bonuses add up to
their cap. Every text a person reads (titles, labels, guidance, level labels and rubrics) is a
mapping from language code to text, and Italian and English are both required. Every number a
threshold decides on is a `Decimal`. Instances are immutable; a published template version is
never changed, a change makes a new version.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

KINDS = ("area", "criterion", "negative", "gate", "bonus")
SCALE_KINDS = ("range", "levels", "yesno", "percent")
AGGREGATIONS = ("weighted_sum", "weighted_mean", "minimum", "normalised")
NOT_APPLICABLE_MODES = ("renormalise", "shrink")
STATUSES = ("draft", "published", "retired")
THRESHOLD_EFFECTS = ("fail", "flag")
EVIDENCE_KINDS = ("document", "url", "text")
SUBJECT_ATTRIBUTES = ("size_class", "ateco", "legal_form", "call_line")
SIZE_CLASSES = ("micro", "small", "medium", "large")
ROUNDING_MODES = (
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
)
OUTCOMES = ("admissible", "not_admissible", "below_threshold")


@dataclass(frozen=True)
class Level:
    """One step of an ordered scale: its code, the value it scores and its rubric (it/en)."""

    code: str
    value: Decimal
    label: dict[str, str]
    rubric: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scale:
    """How a leaf is answered.

    - `range`: a number from `min` to `max` in steps of `step` (from `min`);
    - `levels`: one of ordered `levels`, each scoring its `value`;
    - `yesno`: true or false, scoring 1 or 0;
    - `percent`: a number from 0 to 100.
    A leaf scores `value ÷ maximum of the scale × the leaf's maximum points`.
    """

    code: str
    kind: str
    label: dict[str, str] = field(default_factory=dict)
    min: Decimal | None = None
    max: Decimal | None = None
    step: Decimal | None = None
    levels: tuple[Level, ...] = ()

    @property
    def maximum(self) -> Decimal:
        """The value that scores full points."""
        if self.kind == "range":
            return self.max
        if self.kind == "levels":
            return max(level.value for level in self.levels)
        if self.kind == "percent":
            return Decimal(100)
        return Decimal(1)

    @property
    def minimum(self) -> Decimal:
        if self.kind == "range":
            return self.min
        if self.kind == "levels":
            return min(level.value for level in self.levels)
        return Decimal(0)

    def level(self, code: str) -> Level | None:
        for level in self.levels:
            if level.code == code:
                return level
        return None


@dataclass(frozen=True)
class Node:
    """One node of the tree.

    `max_points` is what the node is worth; a leaf without it is worth `weight × the scale's
    maximum`; an area without it (summed) is worth the sum of its scored children. `weight`
    counts in a weighted mean. `threshold` is in points of this node; below it the assessment
    fails (`threshold_effect` "fail") or is only flagged ("flag"). `applicability` maps a
    subject attribute to the values for which the node applies (ATECO by prefix). `evidence`
    lists the kinds of evidence an answer must carry. `cap` limits what a bonus adds.
    `aggregation` is the rule an area applies to its children.
    """

    code: str
    kind: str
    label: dict[str, str]
    guidance: dict[str, str] = field(default_factory=dict)
    weight: Decimal = Decimal(1)
    max_points: Decimal | None = None
    scale: str | None = None
    threshold: Decimal | None = None
    threshold_effect: str = "fail"
    applicability: dict[str, tuple[str, ...]] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    children: tuple[Node, ...] = ()
    cap: Decimal | None = None
    aggregation: str = "weighted_sum"

    def walk(self) -> Iterator[Node]:
        """This node and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Rounding:
    """Points are rounded to `decimals` places with `mode` (a `decimal` module rounding name)."""

    decimals: int = 2
    mode: str = "ROUND_HALF_UP"


@dataclass(frozen=True)
class JustificationRule:
    """When a score needs a written justification.

    `below`: a share of the leaf's maximum (0-1); an answer scoring less needs one.
    `extremes`: an answer at the lowest or highest value of its scale needs one.
    `failed_gates`: a gate answered "no" needs one.
    """

    below: Decimal | None = None
    extremes: bool = False
    failed_gates: bool = False


@dataclass(frozen=True)
class DivergenceRule:
    """When independent evaluators disagree: totals more than `points` apart, or (`gates`) a
    gate passed by one and failed by another."""

    points: Decimal | None = None
    gates: bool = True


@dataclass(frozen=True)
class Template:
    """A grid template, one version. `aggregation` is the rule applied to the root nodes, whose
    result is out of `max_points`; `threshold` is the total needed to pass (or None);
    `not_applicable` says how nodes that do not apply to the subject are handled."""

    code: str
    version: int
    status: str
    title: dict[str, str]
    source: str
    licence: str
    nodes: tuple[Node, ...]
    scales: dict[str, Scale] = field(default_factory=dict)
    max_points: Decimal = Decimal(100)
    threshold: Decimal | None = None
    aggregation: str = "weighted_sum"
    not_applicable: str = "renormalise"
    rounding: Rounding = field(default_factory=Rounding)
    languages: tuple[str, ...] = ("it", "en")
    description: dict[str, str] = field(default_factory=dict)
    justification: JustificationRule = field(default_factory=JustificationRule)
    divergence: DivergenceRule = field(default_factory=DivergenceRule)

    def walk(self) -> Iterator[Node]:
        """Every node, depth first, parents before children."""
        for root in self.nodes:
            yield from root.walk()

    def node(self, code: str) -> Node:
        """The node with that code (KeyError if none)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = {n.code: n for n in self.walk()}
            object.__setattr__(self, "_index", index)
        return index[code]


class TraceEntry(NamedTuple):
    """How one node was computed: whether it applies (and why not), the rule applied, its
    inputs (pairs of name and value), its points and maximum, and its outcome ("" or one of
    passed, failed, unanswered, invalid, below_threshold, not_applicable, unscored)."""

    node: str
    kind: str
    applicable: bool
    reason: str
    rule: str
    inputs: tuple
    points: Decimal | None
    max_points: Decimal | None
    outcome: str


class Evidence(NamedTuple):
    """A piece of evidence: its kind (document, url, text) and a reference to it."""

    kind: str
    ref: str


@dataclass(frozen=True)
class Answer:
    """The score given to one node: a Decimal (range, percent), a level code (levels), a bool
    (yes/no) or None (not answered), with its justification and evidence."""

    value: Decimal | str | bool | None
    justification: str = ""
    evidence: tuple = ()


class Problem(NamedTuple):
    """What is wrong, where: `node` is a node code ("" for the template itself, or a scale
    code prefixed with "scale:"), `field` the field at fault."""

    node: str
    field: str
    message: str


class TemplateError(ValueError):
    """A template that does not validate; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "; ".join(f"{p.node or '(template)'}.{p.field}: {p.message}" for p in problems)
        super().__init__(f"{len(self.problems)} problem(s): {lines}")
