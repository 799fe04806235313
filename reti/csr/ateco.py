"""The ATECO 2025 classification (ISTAT), read from the `ateco` package's official data.

A company chooses a subcategory (the six-digit code, e.g. 62.10.00); its section (the letter,
e.g. K) groups companies for the benchmark. `choices()` gives the codes grouped by section for
a select with one option group per section (native, keyboard-searchable, no script).
"""

from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EDITION = "2025"
LEVEL = "subcategory"


def _nodes() -> dict:
    from ateco._load import load_nodes

    return load_nodes(EDITION)


def canonical(code: str) -> str:
    import ateco

    try:
        return ateco.canonicalize((code or "").strip())
    except (ValueError, TypeError):
        return (code or "").strip()


def lookup(code: str):
    import ateco

    return ateco.lookup(canonical(code), edition=EDITION)


def section_of(code: str) -> str | None:
    """The section letter above `code`, or None for an unknown code."""
    nodes = _nodes()
    current = canonical(code)
    seen = 0
    while current in nodes and seen < 10:
        node = nodes[current]
        if node["level"] == "section":
            return node["code"]
        current, seen = node.get("parent"), seen + 1
    return None


def validate_code(code: str) -> None:
    node = lookup(code)
    if node is None or node.level != LEVEL:
        raise ValidationError(
            _("Codice ATECO 2025 sconosciuto: indicare una sottocategoria (es. 62.10.00)."),
            code="ateco",
        )


def title(code: str) -> str:
    node = lookup(code)
    return node.title if node else code


@cache
def sections() -> tuple[tuple[str, str], ...]:
    return tuple(
        (node["code"], node["title"].capitalize())
        for node in _nodes().values()
        if node["level"] == "section"
    )


@cache
def choices() -> tuple:
    """(section title, ((code, "code — title"), ...)) for every section, in code order."""
    by_section: dict[str, list] = {}
    for node in _nodes().values():
        if node["level"] == LEVEL:
            section = section_of(node["code"])
            by_section.setdefault(section, []).append(
                (node["code"], f"{node['code']} — {node['title']}")
            )
    return tuple(
        (f"{letter} — {name}", tuple(sorted(by_section.get(letter, ()))))
        for letter, name in sections()
    )
