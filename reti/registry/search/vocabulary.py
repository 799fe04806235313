"""The words a search term may stand for: the vocabulary's words that start with it.

Both engines expand a term of 3+ letters into the words of the vocabulary (`SearchTerm`: the
words of indexed names and acronyms) that start with it, the commonest EXPANSIONS, itself
included when it is one: "coop" stands for cooperativa, cooperazione, …; "sociale" for itself.
Matching those words (and their stems) is cheap, where a prefix query unites the postings of
every word the prefix starts, across millions of documents, before the first match comes out.
A term no name starts with has no completions and is left to the engine's prefix query.
"""

from reti.lib import cache

from ..models import SearchTerm

EXPANSIONS = 24
# A search asks for the same expansions once per kind, and visitors ask for the same terms:
# they are kept (reti.lib.cache) until the vocabulary is written again.
SCOPE = "registry.vocabulary"


def completions(term: str) -> list[str]:
    """The vocabulary's words that start with `term` (itself included), commonest first."""

    def words() -> list[str]:
        return list(
            SearchTerm.objects.filter(term__gte=term, term__lt=term[:-1] + chr(ord(term[-1]) + 1))
            .order_by("-documents", "term")
            .values_list("term", flat=True)[:EXPANSIONS]
        )

    return cache.cached(SCOPE, ("completions", term), words)


def forget() -> None:
    """The vocabulary was written: its completions anew, once committed."""
    cache.bump(SCOPE)
