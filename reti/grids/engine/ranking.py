"""Rankings (graduatorie): stored results in, positions out, each with what decided it.

Order: admissible entries first, then those below threshold, then those not admissible; within
each, the higher total first; then the tie-breaks in the order declared:
- "node:<code>": the higher score of that node first (a missing score comes last);
- "submitted_at": the earlier submission first (a missing time comes last);
- "lot": a draw from the seed — the SHA-256 of the seed and the subject key, so it is the same
  for the same seed whatever the order of the entries, and anyone can redo it.
Entries still equal after every tie-break share their position (ex aequo, "tie"), and the next
position skips accordingly (1, 1, 3). Each Ranked says what set it apart from its neighbours:
"outcome", "total", one of the tie-breaks, or "tie". The result never depends on the order of
the entries given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

_LAST = Decimal("Infinity")  # a missing score sorts after every score
_OUTCOME_ORDER = {"admissible": 0, "below_threshold": 1, "not_admissible": 2}


@dataclass(frozen=True)
class Entry:
    """One subject to rank: its key, total, node scores by code, submission time, outcome."""

    subject: str
    total: Decimal
    scores: Mapping[str, Decimal] = field(default_factory=dict)
    submitted_at: datetime | None = None
    outcome: str = "admissible"


@dataclass(frozen=True)
class Ranked:
    """A ranked entry: its position (1 first), what decided it, and its lot (when drawn)."""

    position: int
    entry: Entry
    decided_by: str
    lot: str = ""


def lot(seed: str | int, subject: str) -> str:
    """The seeded draw of one subject: a hex digest; the lower comes first."""
    return hashlib.sha256(f"{seed}\x00{subject}".encode()).hexdigest()


def _check(tie_breaks: Sequence[str]) -> None:
    for name in tie_breaks:
        if not (name in ("submitted_at", "lot") or (name.startswith("node:") and name[5:])):
            raise ValueError(f"unknown tie-break '{name}': node:<code>, submitted_at or lot")


def rank(
    entries: Iterable[Entry], tie_breaks: Sequence[str] = (), seed: str | int = ""
) -> list[Ranked]:
    """The entries ranked as the module docstring says."""
    _check(tie_breaks)
    names = ["outcome", "total", *tie_breaks]
    drawn = "lot" in tie_breaks
    keyed = []
    for entry in entries:
        key = [_OUTCOME_ORDER.get(entry.outcome, 3), -entry.total]
        for name in tie_breaks:
            if name == "lot":
                key.append(lot(seed, entry.subject))
            elif name == "submitted_at":
                at = entry.submitted_at
                key.append((1, "") if at is None else (0, at))
            else:
                score = entry.scores.get(name[5:])
                key.append(_LAST if score is None else -score)
        keyed.append((tuple(key), entry.subject, len(keyed), entry))
    keyed.sort()
    keyed = [(key, subject, entry) for key, subject, _, entry in keyed]
    # apart[i]: the first key where entries i and i+1 differ, None when they are equal.
    apart = [_first_difference(a[0], b[0]) for a, b in pairwise(keyed)]
    last = len(keyed) - 1
    at = names.index("lot") if drawn else None
    out: list[Ranked] = []
    position = 0
    for i, (key, _subject, entry) in enumerate(keyed):
        before = apart[i - 1] if i > 0 else -1
        after = apart[i] if i < last else -1
        if i == 0 or before is not None:
            position = i + 1
        if before is None or after is None:
            decided = "tie"
        else:
            depth = max(before, after)
            decided = names[depth] if depth >= 0 else "total"
        out.append(Ranked(position, entry, decided, key[at] if drawn else ""))
    return out


def _first_difference(one: tuple, other: tuple) -> int | None:
    for depth, (a, b) in enumerate(zip(one, other, strict=True)):
        if a != b:
            return depth
    return None
