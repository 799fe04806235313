"""The grids shipped with Reti: the YAML files in reti/grids/catalogue/, one version each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .model import Template
from .yamlio import load_template

DIRECTORY = Path(__file__).resolve().parent.parent / "catalogue"


@cache
def _load() -> tuple[Template, ...]:
    return tuple(
        load_template(path.read_text(encoding="utf-8")) for path in sorted(DIRECTORY.glob("*.yaml"))
    )


def catalogue() -> dict[str, Template]:
    """The shipped templates by code (each file validated; a broken file raises
    TemplateError at the first call)."""
    return {t.code: t for t in _load()}
