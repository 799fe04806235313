"""Reti's grid engine: pure Python, no Django (a test holds it to that).

Templates (frozen dataclasses, read from and written to YAML), the one `evaluate` function
with its trace, answer checks, rankings with declared tie-breaks, divergence between
evaluators and re-projection of answers onto a newer template version. docs/grids.md
describes the model and every rule.
"""

from .catalogue import catalogue
from .checks import check_answers
from .divergence import Divergence, divergence
from .evaluate import ENGINE_VERSION, Result, TraceEntry, evaluate
from .model import (
    Answer,
    DivergenceRule,
    Evidence,
    JustificationRule,
    Level,
    Node,
    Problem,
    Rounding,
    Scale,
    Template,
    TemplateError,
)
from .plan import shared_objects
from .ranking import Entry, Ranked, rank
from .reproject import Note, reproject
from .validate import validate
from .yamlio import dump_template, load_template

__all__ = [
    "ENGINE_VERSION",
    "Answer",
    "Divergence",
    "DivergenceRule",
    "Entry",
    "Evidence",
    "JustificationRule",
    "Level",
    "Node",
    "Note",
    "Problem",
    "Ranked",
    "Result",
    "Rounding",
    "Scale",
    "Template",
    "TemplateError",
    "TraceEntry",
    "catalogue",
    "check_answers",
    "divergence",
    "dump_template",
    "evaluate",
    "load_template",
    "rank",
    "reproject",
    "shared_objects",
    "validate",
]
