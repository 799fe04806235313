"""Search: every registry record by full text, grouped by kind (see reti/registry/search)."""

from ninja import Field, Query, Router, Schema

from reti.lib.api.errors import BadRequest
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS

from ..search import CANDIDATES, KINDS, search
from ..search.links import hit_url

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", description="Words to look for; anything but letters and digits is ignored.")
    kind: str | None = Field(None, description=f"Only this kind: {', '.join(KINDS)}.")
    limit: int = Field(5, ge=1, le=50, description="Hits per kind.")
    offset: int = Field(0, ge=0, le=CANDIDATES, description="Hits to skip (with kind).")


class SearchHit(Schema):
    kind: str
    id: int
    title: str
    acronym: str
    url: str


class SearchGroup(Schema):
    kind: str
    label: str
    count: int = Field(description=f"Matches, counted up to {CANDIDATES}.")
    capped: bool = Field(description="Whether there are more matches than `count`.")
    results: list[SearchHit]


class SearchResults(Schema):
    q: str
    terms: list[str]
    total: int
    suggestion: str = Field(description="A corrected query when nothing matched, else empty.")
    groups: list[SearchGroup]


@router.get("/search", response={200: SearchResults, **READ_ERRORS}, url_name="search")
def search_records(request, params: Query[SearchParams]):
    """Networks, projects, organisations, working groups and territories matching every word.

    Accent-insensitive, with Italian and English stemming; best matches first in each kind.
    """
    check_params(request, SearchParams)
    if params.kind is not None and params.kind not in KINDS:
        raise BadRequest("kind", f"Unknown kind; known ones: {', '.join(KINDS)}.")
    results = search(params.q, kind=params.kind, limit=params.limit, offset=params.offset)
    return {
        "q": params.q,
        "terms": results.terms,
        "total": results.total,
        "suggestion": results.suggestion,
        "groups": [
            {
                "kind": group.kind.key,
                "label": str(group.kind.label),
                "count": group.count,
                "capped": group.capped,
                "results": [
                    {
                        "kind": hit.kind,
                        "id": hit.object_id,
                        "title": hit.title,
                        "acronym": hit.acronym,
                        "url": request.build_absolute_uri(url) if (url := hit_url(hit)) else "",
                    }
                    for hit in group.hits
                ],
            }
            for group in results.groups
        ],
    }
