"""PostgreSQL engine: a weighted tsvector per document in a GIN index (see docs/search.md).

Documents are built in SQL, INSERT ... SELECT straight from the registry tables, so a national
rebuild never ships rows through Python. Names and acronyms weigh A, texts B; both are indexed
with the 'italian' and the 'english' configurations after `unaccent`. A query term matches the
whole stems, in either language, of the vocabulary's words it starts, or, when it starts none,
a prefix of a stem (decided per term, `_term`). A kind's matches come from the GIN index
only, are ranked as they are read and counted in the same query. Suggestions come from
pg_trgm similarity on the vocabulary, reranked by difflib like on SQLite.
"""

import difflib
import threading
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F

from ..models import SearchDocument
from . import vocabulary
from .documents import KINDS, Kind

DOCS = SearchDocument._meta.db_table
# The kind and the span of object ids beside the tsvector (btree_gin, migrations 0006 and
# 0007): one kind's matches from the index, a span at a time (`_candidates`).
GIN_INDEX = "search_document_kind_span_vector_gin"
OLD_GIN_INDEX = "search_document_kind_vector_gin"
SPAN = 16384
SPAN_OF = f"(object_id / {SPAN})"
# Fewer matches than this in a kind are read from the index at once: their postings are short.
FEW = 20_000
VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}', {column}), '{weight}')"
    for column, weight in (("names", "A"), ("body", "B"))
    for config in ("italian", "english")
)
VOCABULARY = f"""
    INSERT INTO registry_searchterm (term, display, length, documents)
    SELECT term, min(word), length(term), count(*) FROM (
        SELECT lower(unaccent(word)) AS term, word
        FROM {DOCS}, regexp_split_to_table(concat_ws(' ', acronym, title_it, title_en),
                                           '[^[:alnum:]]+') AS word
        WHERE {{where}} length(word) BETWEEN 3 AND 60
    ) AS words
    WHERE length(term) BETWEEN 3 AND 60
    GROUP BY term
    ON CONFLICT (term) DO NOTHING
"""


def _source(kind: Kind, where: str) -> str:
    """SELECT of a kind's documents from its table, restricted by `where`."""
    acronym = f"coalesce(\"{kind.acronym}\", '')" if kind.acronym else "''"
    key = f'"{kind.url_key}"::text' if kind.url_key else "''"
    title_it, title_en = f'"{kind.title}_it"', f'"{kind.title}_en"'
    body = "''"
    if kind.body:
        body = "concat_ws(' ', " + ", ".join(f'"{field}"' for field in kind.body) + ")"
    if kind.levels:
        where += " AND level IN (" + ", ".join(f"'{level}'" for level in kind.levels) + ")"
    if kind.only:
        field, values = kind.only
        where += f' AND "{field}" IN (' + ", ".join(f"'{value}'" for value in values) + ")"
    return f"""
        INSERT INTO {DOCS} (kind, object_id, key, acronym, title_it, title_en, names, body, stems,
                            search_vector)
        SELECT kind, id, key, acronym, title_it, title_en, names, body, '', {VECTOR} FROM (
            SELECT '{kind.key}' AS kind, id, {key} AS key, {acronym} AS acronym,
                   {title_it} AS title_it, {title_en} AS title_en,
                   lower(unaccent(concat_ws(' ', {acronym}, {title_it}, {title_en}))) AS names,
                   lower(unaccent({body})) AS body
            FROM "{kind.table}" WHERE {where}
        ) AS source
    """


def rebuild(batch_size: int, progress) -> int:
    """Rebuild every document, the GIN index and the vocabulary; returns the documents."""
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {DOCS}, registry_searchterm")
        # Building a GIN index once is far cheaper than updating it row by row.
        cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {OLD_GIN_INDEX}")
        for kind in KINDS.values():
            cursor.execute(f'SELECT min(id), max(id) FROM "{kind.table}"')
            low, high = cursor.fetchone()
            if low is None:
                continue
            for start in range(low - 1, high, batch_size):
                with transaction.atomic():
                    cursor.execute(
                        _source(kind, "id > %s AND id <= %s"), [start, start + batch_size]
                    )
                    total += cursor.rowcount
                progress(kind.key, total)
        cursor.execute(
            f"CREATE INDEX {GIN_INDEX} ON {DOCS} USING gin (kind, {SPAN_OF}, search_vector)"
        )
        cursor.execute(VOCABULARY.format(where=""))
        cursor.execute(f"ANALYZE {DOCS}")
        cursor.execute("ANALYZE registry_searchterm")
    vocabulary.forget()
    return total


def index(kind: Kind, ids: list[int]) -> None:
    """Re-index these records of a kind (removing the ones that no longer exist)."""
    with transaction.atomic(), connection.cursor() as cursor:
        remove(kind, ids)
        cursor.execute(_source(kind, "id = ANY(%s)"), [ids])
        cursor.execute(
            VOCABULARY.format(where="kind = %s AND object_id = ANY(%s) AND"), [kind.key, ids]
        )
    vocabulary.forget()


def remove(kind: Kind, ids: list[int]) -> None:
    SearchDocument.objects.filter(kind=kind.key, object_id__in=ids).delete()


def _term(term: str) -> tuple[str, list[str]]:
    """A tsquery of one term in either language, and its parameters.

    A term of 3+ letters that starts words of the vocabulary (itself one of them or not)
    stands for those words, the commonest (`vocabulary.completions`), each as its whole stem:
    "coop" for cooperativa, cooperazione, …, "sociale" for itself. A term no name starts with
    is a prefix of a stem ('detenu':* for detenuti, found in objectives only): such words are
    rare in names, so the prefix costs what they cost in the texts. A prefix of a common stem
    ('social':*) would unite the postings of every word it starts, millions at national
    scale: hundreds of milliseconds a kind, where whole stems take a few."""
    if len(term) < 3:
        words = f"'{term}'"
    else:
        completions = vocabulary.completions(term)
        if completions:
            words = " | ".join(f"'{word}'" for word in dict.fromkeys([term, *completions]))
        else:
            words = f"'{term}':*"
    return "(to_tsquery('italian', %s) || to_tsquery('english', %s))", [words, words]


def _tsquery(terms: list[str]) -> tuple[str, list[str]]:
    """The terms ANDed, as SQL of a tsquery (terms are letters and digits only) and parameters."""
    parts, params = [], []
    for term in terms:
        sql, term_params = _term(term)
        parts.append(sql)
        params += term_params
    return "(" + " && ".join(parts) + ")", params


# The first and last span of every kind, from the ends of the unique (kind, object_id) index
# (planned as usual, one statement); then, for the rest of the search's transaction, the
# planner reads documents through the full-text index only. It estimates a kind's matches as
# if words and kinds were independent: for "progetto", tens of thousands of organisations,
# where there are none, and it would scan the table for the first thousand (1.2 s for 570,000
# documents). Read through the GIN index, a kind without matches costs nothing.
SEARCHING_SQL = f"""
    SELECT kind, (SELECT min(object_id) FROM {DOCS} WHERE kind = kinds.kind) / {{span}},
           (SELECT max(object_id) FROM {DOCS} WHERE kind = kinds.kind) / {{span}},
           current_setting('enable_seqscan'), current_setting('enable_indexscan'),
           set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)
    FROM unnest(%s::text[]) AS kinds(kind)
"""
RESTORE_SQL = (
    "SELECT set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)"
)
_spans = threading.local()


@contextmanager
def searching():
    """The queries of a search, in one transaction, planned on the full-text index."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SEARCHING_SQL.format(span=SPAN), [list(KINDS)])
        rows = cursor.fetchall()
        outer = getattr(_spans, "ends", None)
        _spans.ends = {kind: (first, last) for kind, first, last, *_ in rows}
        yield
        _spans.ends = outer
        cursor.execute(RESTORE_SQL, rows[0][3:5])


def _candidates(kind: str, terms: list[str], candidates: int) -> list[tuple[int, int, float]]:
    """(id, object id, rank) of a kind's first `candidates` matches, span by span.

    A GIN index yields every match of a condition before the first row comes out: for a word
    in half of two million projects, a million row addresses, whatever the LIMIT. The index
    therefore holds each document's span of object ids (`SPAN` of them, `GIN_INDEX`) beside its
    kind, and a kind is read a span at a time, in object id order, until `candidates` matches
    are found: a common word is done within the first span or two. When the spans read so far
    promise fewer than FEW matches in the whole kind, the rest is read at once (a rare word:
    its postings are short)."""
    query, params = _tsquery(terms)
    select = (
        f"SELECT id, object_id, ts_rank(search_vector, {query}) FROM {DOCS} "
        f"WHERE kind = %s AND search_vector @@ {query}"
    )
    first, last = _spans.ends.get(kind, (None, None))
    with connection.cursor() as cursor:

        def read(span: int | None, limit: int) -> list[tuple[int, int, float]]:
            where = "" if span is None else f" AND {SPAN_OF} = %s::bigint"
            spans = [] if span is None else [span]
            cursor.execute(f"{select}{where} LIMIT %s", [*params, kind, *params, *spans, limit])
            return cursor.fetchall()

        if first is None:
            return []
        rows: list[tuple[int, int, float]] = []
        for span in range(first, last + 1):
            if len(rows) >= candidates:
                break
            done = span - first
            if done and len(rows) * (last - first + 1) < FEW * done:
                return read(None, candidates)
            rows += read(span, candidates - len(rows))
        return rows


def _best(rows: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    return sorted(rows, key=lambda row: (-row[2], row[0]))


def page(kind: str, terms: list[str], offset: int, limit: int, candidates: int):
    """(matches among the first `candidates`, the best documents from `offset`) of a kind."""
    rows = _candidates(kind, terms, candidates)
    ids = [row[0] for row in _best(rows)[offset : offset + limit]]
    if not ids:
        return len(rows), []
    documents = SearchDocument.objects.filter(pk__in=ids).only(
        "kind", "object_id", "key", "acronym", "title_it", "title_en"
    )
    order = {pk: position for position, pk in enumerate(ids)}
    return len(rows), sorted(documents, key=lambda document: order[document.pk])


def ranked_ids(kind: str, terms: list[str], candidates: int) -> list[int]:
    """Record ids of a kind's first `candidates` matches, best first (no documents built)."""
    with searching():
        return [row[1] for row in _best(_candidates(kind, terms, candidates))]


def related_ids(kind: str, words: list[str], candidates: int) -> list[int]:
    """Record ids of a kind whose names (weight A) have any of `words` (folded, letters and
    digits) in either language, best first (ts_rank among the first `candidates` matches):
    records about the same things."""
    if not words:
        return []
    query = None
    for word in words:
        for config in ("italian", "english"):
            either = SearchQuery(f"'{word}':A", config=config, search_type="raw")
            query = either if query is None else query | either
    first = SearchDocument.objects.filter(kind=kind, search_vector=query).values("pk")
    return list(
        SearchDocument.objects.filter(pk__in=first[:candidates])
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "pk")
        .values_list("object_id", flat=True)
    )


def similar_terms(term: str) -> list[tuple[str, str]]:
    """(term, display) pairs of the vocabulary close to `term`, best first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, display FROM registry_searchterm WHERE term %% %s "
            "ORDER BY similarity(term, %s) DESC, documents DESC LIMIT 20",
            [term, term],
        )
        candidates = dict(cursor.fetchall())
    close = difflib.get_close_matches(term, candidates, n=3, cutoff=0.7)
    return [(match, candidates[match]) for match in close]
