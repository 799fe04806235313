"""SQLite engine: an FTS5 table over the search documents (see docs/search.md).

FTS5 has no Italian stemmer, so each document carries `stems`, the Snowball stems of its words
computed in Python (snowballstemmer), and a query term matches a word, a prefix of one, or the
stem of the term in either language. The tokenizer folds diacritics and the Python side folds
them too, so both sides agree. Suggestions come from difflib over a bounded set of the
vocabulary: words that start with the same letter and are about as long.
"""

import difflib
import threading
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache

from django.db import connection, transaction

from ..models import SearchDocument, SearchTerm
from . import text, vocabulary
from .documents import KINDS, Kind

FTS = "registry_search_fts"
# bm25 weights of the FTS columns (kind, names, body, stems), for rankings over a small set.
WEIGHTS = "0.0, 10.0, 3.0, 1.0"
DOCS = SearchDocument._meta.db_table
SUGGESTION_CANDIDATES = 5000
DOC_COLUMNS = ("kind", "object_id", "key", "acronym", "title_it", "title_en", "names", "body")


def _document(kind: Kind, row: dict) -> tuple:
    acronym = row.get(kind.acronym, "") if kind.acronym else ""
    title_it, title_en = row[f"{kind.title}_it"], row[f"{kind.title}_en"]
    names = " ".join(text.words(f"{acronym} {title_it} {title_en}"))
    body = " ".join(text.words(" ".join(row[field] for field in kind.body)))
    key = str(row[kind.url_key]) if kind.url_key else ""
    return (kind.key, row["pk"], key, acronym, title_it, title_en, names, body)


def _insert(cursor, documents: list[tuple]) -> None:
    rows = [(*doc, text.stemmed(f"{doc[6]} {doc[7]}")) for doc in documents]
    columns = ", ".join((*DOC_COLUMNS, "stems"))
    cursor.executemany(
        f"INSERT INTO {DOCS} ({columns}) VALUES ({', '.join(['%s'] * (len(DOC_COLUMNS) + 1))})",
        rows,
    )


def _vocabulary(counter: Counter, display: dict, acronym: str, *titles: str) -> None:
    for word in text.WORD.findall(" ".join((acronym, *titles))):
        if 3 <= len(word) <= 60:
            term = _fold_word(word)
            counter[term] += 1
            if term not in display:
                display[term] = word


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return text.fold(word)


def _save_terms(cursor, counter: Counter, display: dict) -> None:
    vocabulary.forget()
    cursor.executemany(
        "INSERT INTO registry_searchterm (term, display, length, documents) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (term) DO NOTHING",
        [(term, display[term], len(term), count) for term, count in counter.items()],
    )


def rebuild(batch_size: int, progress) -> int:
    """Rebuild every document, the FTS index and the vocabulary; returns the documents."""
    total = 0
    counter, display = Counter(), {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DOCS}")
        cursor.execute("DELETE FROM registry_searchterm")
        for kind in KINDS.values():
            last = 0
            while True:
                rows = list(kind.queryset().filter(pk__gt=last).values(*kind.fields())[:batch_size])
                if not rows:
                    break
                last = rows[-1]["pk"]
                documents = [_document(kind, row) for row in rows]
                for doc in documents:
                    _vocabulary(counter, display, doc[3], doc[4], doc[5])
                _insert(cursor, documents)
                total += len(documents)
                progress(kind.key, total)
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES('rebuild')")
        _save_terms(cursor, counter, display)
    return total


def index(kind: Kind, ids: list[int]) -> None:
    """Re-index these records of a kind (removing the ones that no longer exist)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _remove(cursor, kind, ids)
        rows = kind.queryset().filter(pk__in=ids).values(*kind.fields())
        documents = [_document(kind, row) for row in rows]
        if not documents:
            return
        _insert(cursor, documents)
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"INSERT INTO {FTS}(rowid, kind, names, body, stems) "
            f"SELECT id, kind, names, body, stems FROM {DOCS} "
            f"WHERE kind = %s AND object_id IN ({placeholders})",
            [kind.key, *ids],
        )
        counter, display = Counter(), {}
        for doc in documents:
            _vocabulary(counter, display, doc[3], doc[4], doc[5])
        _save_terms(cursor, counter, display)


def remove(kind: Kind, ids: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        _remove(cursor, kind, ids)


def _remove(cursor, kind: Kind, ids: list[int]) -> None:
    placeholders = ", ".join(["%s"] * len(ids))
    where = f"WHERE kind = %s AND object_id IN ({placeholders})"
    # External-content FTS5 forgets a row only when told its old values.
    cursor.execute(
        f"INSERT INTO {FTS}({FTS}, rowid, kind, names, body, stems) "
        f"SELECT 'delete', id, kind, names, body, stems FROM {DOCS} {where}",
        [kind.key, *ids],
    )
    cursor.execute(f"DELETE FROM {DOCS} {where}", [kind.key, *ids])


def _options(term: str) -> list[str]:
    """What a term may match: itself or a word it starts, or its Italian or English stem.

    A prefix no name starts with ("coop" where only texts say "cooperazione") is left to
    FTS5: its words are rare in names, so it costs what they cost in the texts.
    """
    stems = [f'stems : "{stem}"' for stem in dict.fromkeys(text.stems(term))]
    if len(term) < 3:
        return [f'{{names body}} : "{term}"', *stems]
    completions = vocabulary.completions(term)
    if not completions:
        return [f'{{names body}} : "{term}"*', *stems]
    words = dict.fromkeys([term, *completions])
    return [f'{{names body}} : "{word}"' for word in words] + stems


def _match(terms: list[str]) -> str:
    """An FTS5 expression from sanitised terms (letters and digits only, so quoting is safe)."""
    return " AND ".join(f"({' OR '.join(_options(term))})" for term in terms)


# A kind's matches: the FTS5 rows within the span of the kind's document ids, of that kind.
# "network", "project" and "practice" are words of the English texts too, and a phrase on
# the kind column (`kind : "network"`) makes FTS5 walk every row that has the word (26 ms
# for the thousand networks of a common-word search at national scale). A rebuild writes
# each kind's documents together: when no other kind's documents fall within a kind's span,
# the span alone says the kind, and FTS5 reads only that part of its doclists (0.5 ms).
# Documents indexed later (a network created today) stretch their kind's span over others';
# such a kind is matched with the phrase as well, as before, until the next rebuild. The
# documents' (kind, id) index (migration 0010) gives the spans and checks each match's kind.
SPAN = (
    f"SELECT %s, (SELECT min(id) FROM {DOCS} WHERE kind = %s), "
    f"(SELECT max(id) FROM {DOCS} WHERE kind = %s)"
)
_spans = threading.local()


def _read_spans() -> dict[str, tuple[int, int]]:
    """The first and last document id of every kind that has documents (two seeks a kind)."""
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([SPAN] * len(KINDS)),
            [value for kind in KINDS for value in (kind, kind, kind)],
        )
        return {kind: (first, last) for kind, first, last in cursor.fetchall() if first is not None}


@contextmanager
def searching():
    """The queries of a search: every kind's span read once for all of them."""
    outer = getattr(_spans, "ends", None)
    _spans.ends = _read_spans()
    try:
        yield
    finally:
        _spans.ends = outer


def _kind_matches(
    kind: str, expression: str, candidates: int, columns: str = ""
) -> tuple[str, list] | None:
    """SQL of the first `candidates` matches of an expression in a kind (their `id` and any
    other `columns` of the FTS table), and its parameters; None when the kind has no
    documents."""
    spans = getattr(_spans, "ends", None) or _read_spans()
    if kind not in spans:
        return None
    first, last = spans[kind]
    shared = any(
        low <= last and high >= first for other, (low, high) in spans.items() if other != kind
    )
    if shared:
        expression = f'kind : "{kind}" AND ({expression})'
    sql = (
        f"SELECT {FTS}.rowid AS id{columns} FROM {FTS} "
        f"CROSS JOIN {DOCS} AS k ON k.id = {FTS}.rowid "
        f"WHERE {FTS} MATCH %s AND {FTS}.rowid BETWEEN %s AND %s AND k.kind = %s LIMIT %s"
    )
    return sql, [expression, first, last, kind, candidates]


def _score(terms: list[str]) -> tuple[str, list[str]]:
    """SQL scoring a candidate document `d`, higher first, and its parameters.

    FTS5's bm25() first counts, over the whole index, the documents of every phrase of the
    query (a common word is in a million): a second or so for common words. Among
    the few candidates, each term scores where it is found, as a word or word prefix of the
    term or of its stems: 10 in the names, 3 in the body, 1 otherwise (a stem only); shorter
    names first on a tie, like bm25's length normalisation.
    """
    cases, params = [], []
    for term in terms:
        prefixes = list(dict.fromkeys([term, *text.stems(term)]))
        names = " OR ".join(["instr(' ' || d.names, %s) > 0"] * len(prefixes))
        body = " OR ".join(["instr(' ' || d.body, %s) > 0"] * len(prefixes))
        cases.append(f"(CASE WHEN {names} THEN 10 WHEN {body} THEN 3 ELSE 1 END)")
        params += [f" {prefix}" for prefix in prefixes] * 2
    return " + ".join(cases), params


def count(kind: str, terms: list[str], cap: int) -> int:
    matches = _kind_matches(kind, _match(terms), cap)
    if matches is None:
        return 0
    sql, params = matches
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql})", params)
        return cursor.fetchone()[0]


def page(kind: str, terms: list[str], offset: int, limit: int, candidates: int):
    """(matches among the first `candidates`, the best documents from `offset`) of a kind.

    One match over the index: the documents carry the count of candidates they were ranked
    among (for a common word, reading a kind's first thousand matches is most of the work).
    Only a page past the last match counts on its own.
    """
    documents = hits(kind, terms, offset, limit, candidates)
    if documents:
        return documents[0].found, documents
    return (count(kind, terms, candidates) if offset else 0), []


def hits(kind: str, terms: list[str], offset: int, limit: int, candidates: int) -> list:
    """The best documents of a kind among its first `candidates` matches, each with `found`,
    the number of those matches."""
    matches = _kind_matches(kind, _match(terms), candidates)
    if matches is None:
        return []
    sql, params = matches
    score, score_params = _score(terms)
    return list(
        SearchDocument.objects.raw(
            f"SELECT d.id, d.kind, d.object_id, d.key, d.acronym, d.title_it, d.title_en, "
            f"COUNT(*) OVER () AS found "
            f"FROM ({sql}) AS m JOIN {DOCS} AS d ON d.id = m.id "
            f"ORDER BY {score} DESC, length(d.names), d.id LIMIT %s OFFSET %s",
            [*params, *score_params, limit, offset],
        )
    )


def ranked_ids(kind: str, terms: list[str], candidates: int) -> list[int]:
    """Record ids of a kind's first `candidates` matches, best first (no documents built)."""
    score = f", bm25({FTS}, {WEIGHTS}) AS score"
    matches = _kind_matches(kind, _match(terms), candidates, score)
    if matches is None:
        return []
    sql, params = matches
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.object_id FROM ({sql}) AS m JOIN {DOCS} AS d ON d.id = m.id "
            f"ORDER BY m.score, d.id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def related_ids(kind: str, words: list[str], candidates: int) -> list[int]:
    """Record ids of a kind whose names have any of `words` (folded, letters and digits),
    best first among the first `candidates` matches: most of the words in the names, then
    the shorter names: records about the same things. Whole words, not prefixes (a prefix
    expands to every word it begins); no bm25, which first counts the documents of every
    word over the whole index."""
    if not words:
        return []
    either = " OR ".join(f'{{names}} : "{word}"' for word in words)
    matches = _kind_matches(kind, either, candidates)
    if matches is None:
        return []
    sql, params = matches
    shared = " + ".join(["(instr(' ' || d.names || ' ', %s) > 0)"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.object_id FROM ({sql}) AS m JOIN {DOCS} AS d ON d.id = m.id "
            f"ORDER BY {shared} DESC, length(d.names), d.id",
            [*params, *[f" {w} " for w in words]],
        )
        return [row[0] for row in cursor.fetchall()]


def similar_terms(term: str) -> list[tuple[str, str]]:
    """(term, display) pairs of the vocabulary close to `term`, best first."""
    low = max(3, len(term) - 2)
    candidates = dict(
        SearchTerm.objects.filter(
            term__gte=term[0],
            term__lt=chr(ord(term[0]) + 1),
            length__gte=low,
            length__lte=len(term) + 2,
        )
        .order_by("-documents")
        .values_list("term", "display")[:SUGGESTION_CANDIDATES]
    )
    close = difflib.get_close_matches(term, candidates, n=3, cutoff=0.7)
    return [(match, candidates[match]) for match in close]
