"""The search page: every registry record by full text, grouped by kind (reti.registry.search).

Without `kind`, the best few of each kind; with it, every match of that kind (the engine ranks
at most CANDIDATES), in keyset pages over the ranking (reti.lib.lists). The download holds
every match the page leads to: all of one kind, or of each kind.
"""

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import lists, tabular
from reti.registry.search import CANDIDATES, KINDS, search
from reti.registry.search.links import hit_url

PAGE_SIZE = 20
PER_KIND = 5

SEARCH_RESULTS = tabular.Table(
    "risultati_ricerca",
    _("Risultati della ricerca"),
    (
        tabular.Column("tipo", _("Tipo di record"), "kind"),
        tabular.Column("id", _("Numero del record"), "object_id", type="integer"),
        tabular.Column("titolo", _("Titolo o nome"), "title"),
        tabular.Column("sigla", _("Sigla"), "acronym"),
        tabular.Column("pagina", _("Pagina sul portale"), hit_url, type="url"),
    ),
    description=_("I record del registro che contengono le parole cercate, dal più pertinente."),
)  # fmt: skip


class SearchFilters(lists.FilterForm):
    q = forms.CharField(required=False, max_length=500)
    kind = forms.CharField(required=False, max_length=40)

    def clean_kind(self) -> str:
        # The kinds the apps registered (reti.registry.search.register), read when asked.
        kind = self.cleaned_data["kind"]
        if kind and kind not in KINDS:
            raise forms.ValidationError("Not a kind of record.", code="invalid_choice")
        return kind


def _every_hit(query: str, kind: str | None):
    for group in search(query, kind=kind, limit=CANDIDATES).groups:
        yield from group.hits


@require_safe
@lists.filtered_by(SearchFilters)
def search_page(request, filters: SearchFilters):
    query = filters.values.get("q", "")
    kind = filters.values.get("kind") or None
    page = lists.Page([])
    if kind:
        results = search(query, kind=kind, limit=CANDIDATES)
        if results.groups:
            group = results.groups[0]
            by_id = {hit.object_id: hit for hit in group.hits}
            page = lists.keyset_of_ids(
                list(by_id),
                PAGE_SIZE,
                lambda ids: [by_id[pk] for pk in ids],
                after=filters.after,
                before=filters.before,
            )
            group.hits = page.rows
    else:
        results = search(query, limit=PER_KIND)
    for group in results.groups:
        group.links = [(hit, hit_url(hit)) for hit in group.hits]
        group.more_url = "?" + urlencode({"q": query, "kind": group.kind.key})
    context = {
        "query": query,
        "kind": KINDS.get(kind) if kind else None,
        "results": results,
        "all_url": "?" + urlencode({"q": query}),
        "suggestion_url": "?" + urlencode({"q": results.suggestion}) if results.suggestion else "",
    }
    return lists.respond(
        request,
        filters,
        None,
        SEARCH_RESULTS,
        "portal/search/results.html",
        context,
        page=page,
        records=lambda: _every_hit(query, kind),
    )
