"""PostgreSQL engine: a weighted tsvector per document in a GIN index (see docs/search.md).

Documents are built in SQL, INSERT ... SELECT straight from the registry tables, so a national
rebuild never ships rows through Python. Names and acronyms weigh A, texts B; both are indexed
with the 'italian' and the 'english' configurations after `unaccent`. A query term matches a
word's whole stem in either language, or, when no document has all the terms so, a prefix of
a stem. Suggestions come from pg_trgm similarity on the
vocabulary, reranked by difflib like on SQLite.
"""

import difflib
import hashlib
import uuid

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from ..models import SearchDocument
from .documents import KINDS, Kind

DOCS = SearchDocument._meta.db_table
WHOLE_STEMS_SECONDS = 600
GENERATION_KEY = "reti-search-generation"
# The kind beside the tsvector (btree_gin, migration 0006): one kind's matches from the index.
GIN_INDEX = "search_document_kind_vector_gin"
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
        cursor.execute(f"CREATE INDEX {GIN_INDEX} ON {DOCS} USING gin (kind, search_vector)")
        cursor.execute(VOCABULARY.format(where=""))
        cursor.execute(f"ANALYZE {DOCS}")
        cursor.execute("ANALYZE registry_searchterm")
    _index_changed()
    return total


def index(kind: Kind, ids: list[int]) -> None:
    """Re-index these records of a kind (removing the ones that no longer exist)."""
    with transaction.atomic(), connection.cursor() as cursor:
        remove(kind, ids)
        cursor.execute(_source(kind, "id = ANY(%s)"), [ids])
        cursor.execute(
            VOCABULARY.format(where="kind = %s AND object_id = ANY(%s) AND"), [kind.key, ids]
        )
    _index_changed()


def remove(kind: Kind, ids: list[int]) -> None:
    SearchDocument.objects.filter(kind=kind.key, object_id__in=ids).delete()
    _index_changed()


def _query(terms: list[str]) -> SearchQuery:
    """Every term, in either language: as its whole stem when some document has all the terms
    that way, else as a prefix of a stem (a word still being typed: "coop" for cooperativa).

    A prefix of a common stem ("social:*") unites the postings of every word starting with it,
    across millions of documents: hundreds of milliseconds a kind, where the whole stems take
    a few. Which form a query takes is decided once for all kinds and kept for ten minutes."""
    prefix = not _whole_stems_match(tuple(terms))
    return _terms_query(terms, prefix=prefix)


def _generation() -> str:
    """Changes whenever this process changes the index, so a decision taken before does not
    outlive the documents it was taken on (other processes keep theirs ten minutes at most)."""
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)


def _index_changed() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _terms_query(terms: list[str], *, prefix: bool) -> SearchQuery:
    query = None
    for term in terms:
        lexeme = f"'{term}':*" if prefix and len(term) >= 3 else f"'{term}'"
        either = SearchQuery(lexeme, config="italian", search_type="raw") | SearchQuery(
            lexeme, config="english", search_type="raw"
        )
        query = either if query is None else query & either
    return query


def _whole_stems_match(terms: tuple[str, ...]) -> bool:
    digest = hashlib.sha256(" ".join(terms).encode()).hexdigest()
    key = f"reti-search-whole-stems:{_generation()}:{digest}"
    found = cache.get(key)
    if found is None:
        whole = _terms_query(list(terms), prefix=False)
        found = SearchDocument.objects.filter(search_vector=whole).exists()
        cache.set(key, found, WHOLE_STEMS_SECONDS)
    return found


def _matches(kind: str, terms: list[str]):
    return SearchDocument.objects.filter(kind=kind, search_vector=_query(terms))


def count(kind: str, terms: list[str], cap: int) -> int:
    return _matches(kind, terms).values("pk")[:cap].count()


def hits(kind: str, terms: list[str], offset: int, limit: int, candidates: int) -> list:
    """The best documents of a kind among its first `candidates` matches."""
    first = _matches(kind, terms).values("pk")[:candidates]
    return list(
        SearchDocument.objects.filter(pk__in=first)
        .annotate(rank=SearchRank(F("search_vector"), _query(terms)))
        .order_by("-rank", "pk")
        .only("kind", "object_id", "key", "acronym", "title_it", "title_en")[
            offset : offset + limit
        ]
    )


def ranked_ids(kind: str, terms: list[str], candidates: int) -> list[int]:
    """Record ids of a kind's first `candidates` matches, best first (no documents built)."""
    first = _matches(kind, terms).values("pk")[:candidates]
    return list(
        SearchDocument.objects.filter(pk__in=first)
        .annotate(rank=SearchRank(F("search_vector"), _query(terms)))
        .order_by("-rank", "pk")
        .values_list("object_id", flat=True)
    )


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
