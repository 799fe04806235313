"""The house's cache rule (docs/architecture.md, "Caching"), read from the code.

Only reti/lib/cache.py talks to Django's cache; templates cache no fragments; process-local
memoisation (`functools.cache`, `lru_cache`) only in the modules the doc lists, for pure
functions of immutable inputs. Tests may empty the cache: they are not searched.
"""

import re
from pathlib import Path

import reti

ROOT = Path(reti.__file__).parent
HELPER = "reti/lib/cache.py"

RAW_CACHE = re.compile(
    r"(from|import) django\.core\.cache|\bcaches\[|get_or_set|"
    r"\bcache\.(get|set|add|delete|incr|decr|touch|clear|get_many|set_many|delete_many)\("
)
TEMPLATE_CACHE = re.compile(r"{%\s*cache\b|{%\s*load\b[^%]*\bcache\b")
MEMOISATION = re.compile(r"lru_cache|functools\.cache\b|from functools import [^\n]*\bcache\b")

# Pure functions of immutable inputs, kept per process (the same list as the doc's).
MEMOISED = {
    "reti/monitoring/pseudonym.py",  # whether a birth segment is possible
    "reti/monitoring/analytics/population.py",  # ISTAT population table, read once
    "reti/monitoring/analytics/regions.py",  # the regions' codes and names
    "reti/monitoring/analytics/labels.py",  # labels of the indicators' categories
    "reti/lib/language.py",  # the API's address prefix, fixed at start
    "reti/grids/engine/catalogue.py",  # the shipped grids' YAML files, read once
    "reti/grids/models.py",  # a stored template version's YAML parsed (immutable text)
    "reti/registry/territories.py",  # the territories' source files, read once per load
    "reti/registry/search/text.py",  # Snowball stems of a word
    "reti/registry/search/sqlite.py",  # a word folded (accents, case)
    "reti/portal/nav.py",  # the menu's entries and their addresses, fixed at start
    "reti/opendata/registry.py",  # the datasets the AppConfigs declare, fixed at start
    "reti/accounts/twofactor.py",  # the second-factor predicates the AppConfigs declare
    "reti/grids/permissions.py",  # the committee-manager predicates the AppConfigs declare
    "reti/csr/ateco.py",  # the ATECO classification the package ships
    "reti/csr/levels.py",  # the CSR levels' shipped YAML
    "reti/identity/registry.py",  # the IdP metadata files, keyed by modification time
    "reti/portal/regions.py",  # the committed SVG map
}

# Memos written by hand (a module-level OrderedDict kept as an LRU), each with why it is not
# reti.lib.cache. Issue 23 asked to use the helper or say why not:
HAND_MADE = {
    # `_memoised`: the analytics' selections for filters the refresh did not precompute, 32 per
    # process. Keyed by the snapshot's directory and version, whose files never change: never
    # stale, nothing to bump, which is what the helper's scopes are for. The values are the
    # computed Python objects (protected tables, funnels); the shared cache would pickle
    # them through Redis on every read. Not measured either way: moving it to the helper is
    # for when a measurement says the per-process copies cost more than that.
    "reti/monitoring/analytics/public.py": "_memoised",
}
HAND_MADE_MEMO = re.compile(r"^\w+(: \w+)? = OrderedDict\(\)", re.MULTILINE)


def _sources(*suffixes: str):
    for path in sorted(ROOT.rglob("*")):
        relative = str(path.relative_to(ROOT.parent))
        if (
            path.suffix in suffixes
            and "tests" not in path.parts
            and path.name != "conftest.py"
            and "migrations" not in path.parts
        ):
            yield relative, path.read_text()


def _found(pattern: re.Pattern, suffixes: tuple[str, ...], allowed=frozenset()) -> list[str]:
    return [
        f"{relative}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
        for relative, text in _sources(*suffixes)
        if relative not in allowed
        for match in pattern.finditer(text)
    ]


def test_only_the_helper_talks_to_django_s_cache():
    assert _found(RAW_CACHE, (".py",), {HELPER}) == []


def test_templates_cache_no_fragments():
    assert _found(TEMPLATE_CACHE, (".html", ".txt", ".xml")) == []


def test_process_local_memoisation_only_where_the_doc_allows_it():
    assert _found(MEMOISATION, (".py",), MEMOISED) == []


def test_the_allow_list_is_the_doc_s_and_still_used():
    doc = (ROOT.parent / "docs" / "architecture.md").read_text()
    for relative in MEMOISED:
        assert f"`{relative.removeprefix('reti/')}`" in doc, relative
        assert MEMOISATION.search((ROOT.parent / relative).read_text()), relative


def test_hand_made_memos_only_where_listed_with_their_reason():
    assert _found(HAND_MADE_MEMO, (".py",), set(HAND_MADE)) == []
    for relative, name in HAND_MADE.items():
        text = (ROOT.parent / relative).read_text()
        assert HAND_MADE_MEMO.search(text) and f"def {name}(" in text, relative
    assert HAND_MADE_MEMO.search("_memo: OrderedDict = OrderedDict()")
    assert HAND_MADE_MEMO.search("MEMO = OrderedDict()")


def test_the_rule_finds_what_it_forbids(tmp_path, monkeypatch):
    """The patterns catch each form they name (else the tests above could not fail)."""
    for line in (
        "from django.core.cache import cache",
        "cache.set(key, value, 60)",
        "cache.get_or_set(key, compute, 60)",
        "counts = cache.get(key)",
    ):
        assert RAW_CACHE.search(line), line
    assert not RAW_CACHE.search("cache.cached(SCOPE, parts, compute)")
    assert not RAW_CACHE.search("cache.bump(SCOPE)")
    for line in ("{% load i18n cache %}", "{% cache 600 header %}"):
        assert TEMPLATE_CACHE.search(line), line
    for line in ("@functools.cache", "@lru_cache(maxsize=8)", "from functools import cache"):
        assert MEMOISATION.search(line), line
    assert not MEMOISATION.search("from functools import partial")


# HTML marked safe by hand, each with why it is safe. Issue 23: the organisation and network
# pages marked their cached record safe in the view; the cache gives a template's output back
# as the SafeString it was (reti/lib/cache.py), so nothing cached is marked again.
MARKED_SAFE = {
    "reti/lib/extensions.py",  # the sections, each rendered by its own template
    "reti/accounts/twofactor_views.py",  # segno's SVG of an otpauth URL: no user text
}
MARK_SAFE = re.compile(r"\bmark_safe\(")


def test_html_is_marked_safe_only_where_listed():
    assert _found(MARK_SAFE, (".py",), MARKED_SAFE) == []
    for relative in MARKED_SAFE:
        assert MARK_SAFE.search((ROOT.parent / relative).read_text()), relative
