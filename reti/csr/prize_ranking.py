"""The ranking of one category of the CSR prize (graduatoria per categoria): pure.

Candidacies the jury's consensus found admissible (gates passed, threshold reached) are
ordered by the jury's score, the higher first; ties are broken, in this order, by the
validated self-assessment's total (the higher first), by the submission time (the earlier
first) and, last, by the candidacy's key, so the order is always total and reproducible.
Each placed entry says which tie-break decided its place against its tied neighbour above
(or below, for the first of a tie), "" when the score alone decided.
"""

from dataclasses import dataclass
from decimal import Decimal

TIE_BREAKS = ("csr_total", "submitted_at", "key")


@dataclass(frozen=True)
class Entry:
    key: int
    score: Decimal | None  # the jury's consensus total; None when not decided
    admissible: bool
    csr_total: Decimal
    submitted_at: str  # ISO 8601, comparable as text


@dataclass(frozen=True)
class Placed:
    key: int
    position: int
    score: Decimal
    decided_by: str


def _order(entry: Entry):
    return (-entry.score, -entry.csr_total, entry.submitted_at, entry.key)


def _breaker(a: Entry, b: Entry) -> str:
    for name in TIE_BREAKS:
        if getattr(a, name) != getattr(b, name):
            return name
    return "key"


def rank(entries) -> list[Placed]:
    """The admissible entries in order, positions from 1."""
    ordered = sorted((e for e in entries if e.admissible and e.score is not None), key=_order)
    placed = []
    for index, entry in enumerate(ordered):
        decided = ""
        above = ordered[index - 1] if index else None
        below = ordered[index + 1] if index + 1 < len(ordered) else None
        if above is not None and above.score == entry.score:
            decided = _breaker(above, entry)
        elif below is not None and below.score == entry.score:
            decided = _breaker(entry, below)
        placed.append(Placed(entry.key, index + 1, entry.score, decided))
    return placed


def award(position: int, mentions: int) -> str:
    """winner for the first, mention for the next `mentions`, "" for the others."""
    if position == 1:
        return "winner"
    return "mention" if position <= 1 + mentions else ""
