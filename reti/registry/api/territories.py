"""Territories: read-only, loaded from the official ISTAT list and ISO 3166."""

from django.db.models import Count
from django.http import Http404
from ninja import Query, Router

from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, page_of

from .. import queries
from ..models import Territory
from .filters import TerritoryFilters
from .schemas import TerritoryDetail, TerritoryItem

router = Router(tags=["territories"])


@router.get(
    "/territories",
    response={200: page_of(TerritoryItem, "TerritoryPage"), **READ_ERRORS},
    url_name="territory_list",
)
def list_territories(request, filters: Query[TerritoryFilters], page: Query[PageParams]):
    """Territories by id; filter by level, parent code, name."""
    check_params(request, TerritoryFilters, PageParams)
    queryset = queries.filter_territories(
        Territory.objects.select_related("parent"), **filters.dict()
    )
    return paginate(request, queryset, page)


@router.get(
    "/territories/{code}",
    response={200: TerritoryDetail, **READ_ERRORS},
    url_name="territory_detail",
)
def get_territory(request, code: str):
    """A territory by ISTAT, NUTS or ISO code, with its parent and its subdivisions' counts."""
    try:
        territory = Territory.objects.select_related("parent").by_code(code)
    except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
        raise Http404(code) from None
    counts = territory.children.order_by().values("level").annotate(n=Count("pk"))
    territory.children_counts = {row["level"]: row["n"] for row in counts}
    return territory
