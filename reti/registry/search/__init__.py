"""Full-text search over the registry: one interface, an engine per database (docs/search.md).

    results = search("ESFCoNet")                 # grouped by kind, a few hits each
    results = search("povertà", kind="project")  # one kind, paginated
    index_record(network) / remove_record(network) / rebuild_index()

The engine is chosen by `connection.vendor`: FTS5 on SQLite (`sqlite.py`), full-text search
on PostgreSQL (`postgres.py`). Queries are reduced to plain words first (`text.query_terms`).
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import get_language

from . import links, postgres, sqlite, text
from .documents import KIND_OF_MODEL, KINDS, Kind

__all__ = [
    "KINDS",
    "Group",
    "Hit",
    "Results",
    "index_record",
    "rebuild_index",
    "register",
    "remove_record",
    "search",
]

# Each kind is counted, and ranked, among its first CANDIDATES matches: a word found in a
# million projects must not cost a million rank computations. Counts above it show as "1000+".
CANDIDATES = 1000
PER_KIND = 5


def register(kind: Kind, page: tuple[str, str]) -> None:
    """Index another app's records too (extension point, call it from AppConfig.ready).

    `kind` says which fields are names and body (`only` restricts it to public records);
    `page` is the (portal URL name, "key" or "object_id") a hit links to. The kind is then
    searched, counted and rebuilt with the registry's; its app indexes its records itself
    (`index_record` after a change) since the registry's signals are connected before.
    """
    KINDS[kind.key] = kind
    KIND_OF_MODEL[kind.model] = kind
    links.PAGES[kind.key] = page


def engine():
    """The search engine module of the current database."""
    return postgres if connection.vendor == "postgresql" else sqlite


@dataclass
class Hit:
    kind: str
    object_id: int
    key: str
    acronym: str
    title: str


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list[Hit]

    @property
    def capped(self) -> bool:
        """Whether there are more matches than were counted."""
        return self.count >= CANDIDATES


@dataclass
class Results:
    query: str
    terms: list[str]
    groups: list[Group] = field(default_factory=list)
    suggestion: str = ""

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def _hit(document) -> Hit:
    english = (get_language() or "it").startswith("en")
    title = (document.title_en if english else "") or document.title_it
    return Hit(document.kind, document.object_id, document.key, document.acronym, title)


def search(query: str, kind: str | None = None, limit: int = PER_KIND, offset: int = 0) -> Results:
    """Records matching every word of `query`, grouped by kind, best first within a kind.

    `kind` restricts the search to one kind (a key of KINDS); `limit`/`offset` page its hits.
    Groups with no match are left out; when nothing matches, `suggestion` may hold a
    corrected query built from the vocabulary of indexed names.
    """
    terms = text.query_terms(query)
    results = Results(query=query, terms=terms)
    if not terms:
        return results
    backend = engine()
    offset = max(0, min(offset, CANDIDATES))
    with backend.searching():
        for key in [kind] if kind else KINDS:
            found, documents = backend.page(key, terms, offset, limit, CANDIDATES)
            if found:
                results.groups.append(Group(KINDS[key], found, [_hit(d) for d in documents]))
    if not results.groups:
        results.suggestion = suggest(terms)
    return results


def suggest(terms: list[str]) -> str:
    """A query with unknown words replaced by the closest indexed ones, or "" if none is."""
    from ..models import SearchTerm

    known = set(SearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))
    corrected, changed = [], False
    for term in terms:
        if term in known or len(term) < 3 or term.isdigit():
            corrected.append(term)
            continue
        similar = engine().similar_terms(term)
        if similar:
            corrected.append(similar[0][1])
            changed = True
        else:
            corrected.append(term)
    return " ".join(corrected) if changed else ""


def index_record(record) -> None:
    """Bring the search document of a saved record up to date (no-op for other models)."""
    kind = KIND_OF_MODEL.get(type(record))
    if kind is not None:
        engine().index(kind, [record.pk])


def remove_record(record, pk: int | None = None) -> None:
    """Drop the search document of a deleted record."""
    kind = KIND_OF_MODEL.get(type(record))
    if kind is not None:
        engine().remove(kind, [pk if pk is not None else record.pk])


def rebuild_index(batch_size: int = 20_000, progress=None) -> int:
    """Rebuild the whole index from the registry's tables; returns the documents written."""
    return engine().rebuild(batch_size, progress or (lambda kind, total: None))


def refresh_statistics() -> None:
    """Refresh the planner's statistics of the index after a bulk change (a demo load):
    with stale ones, PostgreSQL estimates a kind's few hundred rows where there are tens of
    thousands and filters them one by one instead of reading the full-text index."""
    from ..models import SearchDocument, SearchTerm

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (SearchDocument, SearchTerm):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def index_on_commit(sender, instance, **kwargs) -> None:
    """post_save receiver: index the record once its transaction commits."""
    transaction.on_commit(lambda: index_record(instance), robust=True)


def remove_on_commit(sender, instance, **kwargs) -> None:
    """post_delete receiver: drop the record's document once its transaction commits."""
    pk = instance.pk
    transaction.on_commit(lambda: remove_record(instance, pk), robust=True)


def connect_signals() -> None:
    """Keep the index in step with saves and deletes of indexed records (index upkeep only)."""
    from django.db.models.signals import post_delete, post_save

    for model in KIND_OF_MODEL:
        post_save.connect(index_on_commit, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(
            remove_on_commit, sender=model, dispatch_uid=f"search-del-{model.__name__}"
        )
