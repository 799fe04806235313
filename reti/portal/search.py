"""The search page: every registry record by full text, grouped by kind (reti.registry.search)."""

from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.registry.search import CANDIDATES, KINDS, search
from reti.registry.search.links import hit_url

PAGE_SIZE = 20
KNOWN_PARAMS = {"q", "kind", "pagina"}


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), CANDIDATES // PAGE_SIZE)


@require_safe
def search_page(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("kind") or None
    problems = [
        _("Parametro sconosciuto, ignorato: %(name)s") % {"name": name}
        for name in request.GET
        if name not in KNOWN_PARAMS
    ]
    if kind is not None and kind not in KINDS:
        problems.append(_("Tipo sconosciuto, ignorato: %(kind)s") % {"kind": kind})
        kind = None
    page = _page_number(request.GET.get("pagina")) if kind else 1
    limit = PAGE_SIZE if kind else 5
    results = search(query, kind=kind, limit=limit, offset=(page - 1) * PAGE_SIZE)
    for group in results.groups:
        group.links = [(hit, hit_url(hit)) for hit in group.hits]
        group.more_url = "?" + urlencode({"q": query, "kind": group.kind.key})
    context = {
        "query": query,
        "kind": KINDS.get(kind) if kind else None,
        "results": results,
        "problems": problems,
        "page": page,
        "previous_url": "?" + urlencode({"q": query, "kind": kind, "pagina": page - 1})
        if kind and page > 1
        else "",
        "next_url": "?" + urlencode({"q": query, "kind": kind, "pagina": page + 1})
        if kind
        and results.groups
        and len(results.groups[0].hits) == PAGE_SIZE
        and page * PAGE_SIZE < CANDIDATES
        else "",
        "all_url": "?" + urlencode({"q": query}),
        "suggestion_url": "?" + urlencode({"q": results.suggestion}) if results.suggestion else "",
    }
    return render(request, "portal/search/results.html", context)
