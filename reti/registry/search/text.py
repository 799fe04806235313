"""Turning what a user types, and what a record says, into plain search terms.

Every query is reduced to lower-case, accent-free words of letters and digits before it
reaches an engine, so quotes, FTS operators (AND OR NEAR * " ( ) : ^ -), SQL fragments,
emoji and NUL bytes are never syntax: they are dropped or become ordinary words.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_QUERY_CHARS = 500
MAX_TERMS = 8
MAX_TERM_CHARS = 40
WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_STEMMERS = {
    "italian": snowballstemmer.stemmer("italian"),
    "english": snowballstemmer.stemmer("english"),
}


def fold(text: str) -> str:
    """Lower case without diacritics: "Povertà" -> "poverta" (what PostgreSQL's unaccent does)."""
    if not text or text.isascii():
        return (text or "").lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return WORD.findall(fold(text))


def query_terms(query: str) -> list[str]:
    """The distinct search terms of a user's query, at most MAX_TERMS, each of bounded length."""
    terms: list[str] = []
    for word in words((query or "")[:MAX_QUERY_CHARS]):
        term = word[:MAX_TERM_CHARS]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, str]:
    """The Italian and English Snowball stems of a folded word."""
    return _STEMMERS["italian"].stemWord(word), _STEMMERS["english"].stemWord(word)


def stemmed(folded: str) -> str:
    """The distinct Italian and English stems of a folded text's words, space-separated."""
    seen: dict[str, None] = {}
    for word in folded.split():
        for stem in stems(word):
            seen.setdefault(stem, None)
    return " ".join(seen)
