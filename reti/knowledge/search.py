"""Practices in the registry's full-text engine (reti.registry.search, docs/search.md).

Only published practices are indexed. A practice's body is `search_text`: its texts in both
languages, its themes, target groups, organisations and the text extracted from its
attachments, kept by the actions. The same index serves the portal's global search (kind
"practice") and the practice list, where the matches are then filtered by facets.
"""

from itertools import zip_longest

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reti.registry import search as engine
from reti.registry.search.documents import Kind

from .models import GoodPractice
from .models.practices import TEXT_FIELDS

KIND = Kind(
    "practice",
    GoodPractice,
    _("buone pratiche"),
    "title",
    body=("search_text",),
    only=("state", (GoodPractice.State.PUBLISHED,)),
)
# Words a title shares with most others: left out of "similar practices".
COMMON_WORDS = frozenset(
    [
        "alla",
        "alle",
        "allo",
        "agli",
        "anche",
        "come",
        "con",
        "che",
        "dai",
        "dal",
        "dalla",
        "dalle",
        "degli",
        "dei",
        "del",
        "della",
        "delle",
        "dello",
        "demo",
        "for",
        "from",
        "into",
        "negli",
        "nei",
        "nel",
        "nella",
        "nelle",
        "per",
        "sui",
        "sul",
        "sulla",
        "sulle",
        "the",
        "their",
        "tra",
        "una",
        "uno",
        "with",
    ]
)
SIMILAR_WORDS = 8
# Enough for every field and a few long attachments; the engines need no more.
MAX_SEARCH_TEXT = 600_000


def register() -> None:
    engine.register(KIND, ("knowledge:practice_detail", "object_id"))


def search_text(practice: GoodPractice) -> str:
    """The text the search engine indexes for a saved practice."""
    parts = [practice.title_it, practice.title_en]
    for name in TEXT_FIELDS:
        parts += [getattr(practice, f"{name}_it"), getattr(practice, f"{name}_en")]
    parts += [str(practice.lead_organisation)]
    if practice.pk:
        for theme in practice.themes.all():
            parts += [theme.name_it, theme.name_en]
        for group in practice.target_groups.all():
            parts += [group.name_it, group.name_en]
        parts += [str(org) for org in practice.partner_organisations.all()]
        parts += list(
            practice.attachments.exclude(extracted_text="").values_list("extracted_text", flat=True)
        )
    return "\n".join(part for part in parts if part)[:MAX_SEARCH_TEXT]


def refresh(practice: GoodPractice) -> None:
    """Recompute a practice's search text and re-index it once the transaction commits."""
    text = search_text(practice)
    GoodPractice.objects.filter(pk=practice.pk).update(search_text=text)
    practice.search_text = text
    transaction.on_commit(lambda: engine.index_record(practice), robust=True)


def matching_ids(query: str, candidates: int = engine.CANDIDATES) -> list[int] | None:
    """Ids of the published practices matching `query`, best first (None: no query words).

    At most `candidates` ids (the engine ranks that many of the first matches).
    """
    terms = engine.text.query_terms(query)
    if not terms:
        return None
    return engine.engine().ranked_ids(KIND.key, terms, candidates)


def related_ids(title_it: str, title_en: str, candidates: int) -> list[int]:
    """Ids of published practices whose titles share the distinctive words of these titles,
    best first (at most `candidates`).

    The titles' words of 4+ letters but function words, Italian and English alternating,
    SIMILAR_WORDS at most.
    """
    per_language = []
    for title in (title_it, title_en):
        chosen: dict[str, None] = {}
        for word in engine.text.words(title or ""):
            if len(word) >= 4 and word not in COMMON_WORDS and not word.isdigit():
                chosen.setdefault(word[: engine.text.MAX_TERM_CHARS])
        per_language.append(list(chosen))
    words: dict[str, None] = {}
    for pair in zip_longest(*per_language):
        for word in pair:
            if word:
                words.setdefault(word)
    return engine.engine().related_ids(KIND.key, list(words)[:SIMILAR_WORDS], candidates)
