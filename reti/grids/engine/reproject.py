"""Answers carried onto a newer version of a template, by node code.

An answer is kept when the new version has a leaf or gate with the same code and the value
still fits its scale; it is dropped, with a note, when the node is gone, has become an area,
or the value no longer fits (for instance a level removed). Every leaf or gate of the new
version that had no answer gets a "new" note. Nothing is converted between scales: a value
that fits is kept as it is, and the note says when the scale changed. Re-projection is an
explicit, audited action in the app; this function only computes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from . import scales
from .model import Answer, Template


class Note(NamedTuple):
    """What happened to one node: kind is "dropped", "new" or "scale_changed"."""

    node: str
    kind: str
    message: str


def _answerable(node) -> bool:
    return node.kind != "area" and not (node.kind == "bonus" and node.children)


def _fits(template: Template, node, value) -> bool:
    scale = template.scales.get(node.scale) if node.scale else None
    if scale is None:
        return isinstance(value, bool)
    return scales.problem(scale, value) is None


def reproject(
    old: Template, new: Template, answers: Mapping[str, Answer]
) -> tuple[dict[str, Answer], list[Note]]:
    """The answers that carry over from `old` to `new`, and the notes of what did not."""
    targets = {node.code: node for node in new.walk() if _answerable(node)}
    kept: dict[str, Answer] = {}
    notes: list[Note] = []
    for code in sorted(answers):
        answer = answers[code]
        node = targets.get(code)
        if node is None:
            notes.append(Note(code, "dropped", "no such scored node in the new version"))
            continue
        if answer.value is not None and not _fits(new, node, answer.value):
            notes.append(Note(code, "dropped", "the answer does not fit the new scale"))
            continue
        kept[code] = answer
        try:
            before = old.node(code)
        except KeyError:
            continue
        old_scale = old.scales.get(before.scale) if before.scale else None
        new_scale = new.scales.get(node.scale) if node.scale else None
        if old_scale != new_scale:
            notes.append(Note(code, "scale_changed", "kept as it is on a changed scale"))
    notes.extend(
        Note(code, "new", "not answered before: to be scored")
        for code in sorted(targets)
        if code not in answers
    )
    return kept, notes
