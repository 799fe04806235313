"""The words a search term may stand for: the vocabulary's words that start with it.

Both engines expand a term of 3+ letters into the words of the vocabulary (`SearchTerm`: the
words of indexed names and acronyms) that start with it, the commonest EXPANSIONS, itself
included when it is one: "coop" stands for cooperativa, cooperazione, …; "sociale" for itself.
Matching those words (and their stems) is cheap, where a prefix query unites the postings of
every word the prefix starts, across millions of documents, before the first match comes out.
A term no name starts with has no completions and is left to the engine's prefix query.
"""

import time

from ..models import SearchTerm

EXPANSIONS = 24
# A search asks for the same expansions once per kind: they are kept a few seconds per
# process (forgotten when this process writes the vocabulary). A word another process adds
# meanwhile is found as a prefix a little later; as a whole word or a stem, at once.
TTL = 30.0
_cache: dict[str, tuple[float, list[str]]] = {}


def completions(term: str) -> list[str]:
    """The vocabulary's words that start with `term` (itself included), commonest first."""
    now = time.monotonic()
    cached = _cache.get(term)
    if cached is not None and cached[0] > now:
        return cached[1]
    words = list(
        SearchTerm.objects.filter(term__gte=term, term__lt=term[:-1] + chr(ord(term[-1]) + 1))
        .order_by("-documents", "term")
        .values_list("term", flat=True)[:EXPANSIONS]
    )
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[term] = (now + TTL, words)
    return words


def forget() -> None:
    """Drop the kept expansions (after this process wrote the vocabulary)."""
    _cache.clear()
