"""Networks: list, detail with their roles, groups, links, projects and actions; writes."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status

from reti.accounts.auth import api_token_auth
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, page_of
from reti.lib.api.writes import Ref, apply

from .. import actions, queries
from ..models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    ProgrammingPeriod,
    Theme,
    WorkingGroup,
)
from .common import DETAIL_LIMIT, list_url
from .filters import NetworkFilters
from .inputs import NetworkIn
from .schemas import NetworkDetail, NetworkItem
from .writes import check_can_edit, delete, run

router = Router(tags=["networks"])

REFS = {
    "themes": Ref(Theme, "code", many=True),
    "periods": Ref(ProgrammingPeriod, "code", many=True),
}


def _list_queryset():
    return Network.objects.select_related("source").prefetch_related("themes", "periods")


def load_network(request, pk: int) -> Network:
    """A network with every relation its detail shows, in a fixed number of queries."""
    groups = WorkingGroup.objects.select_related("coordinator", "source").prefetch_related("themes")
    queryset = _list_queryset().prefetch_related(
        Prefetch("roles", GoverningRole.objects.select_related("organisation", "source")),
        Prefetch("working_groups", groups),
        Prefetch("links_out", NetworkLink.objects.select_related("to_network", "source")),
        Prefetch("links_in", NetworkLink.objects.select_related("from_network", "source")),
        Prefetch("actions", Action.objects.select_related("source")),
    )
    network = get_object_or_404(queryset, pk=pk)
    network.first_projects = list(network.projects_by_id(DETAIL_LIMIT))
    network.projects_url = list_url(request, "project_list", network=network.pk)
    return network


@router.get(
    "/networks",
    response={200: page_of(NetworkItem, "NetworkPage"), **READ_ERRORS},
    url_name="network_list",
)
def list_networks(request, filters: Query[NetworkFilters], page: Query[PageParams]):
    """Networks by id; filter by period, theme, members' territory, role, status, scope, text."""
    check_params(request, NetworkFilters, PageParams)
    return paginate(request, queries.filter_networks(_list_queryset(), **filters.dict()), page)


@router.get(
    "/networks/{network_id}",
    response={200: NetworkDetail, **READ_ERRORS},
    url_name="network_detail",
)
def get_network(request, network_id: Id):
    """A network with its roles over time, working groups, links, projects and actions."""
    return load_network(request, network_id)


@router.post("/networks", response={201: NetworkDetail, **WRITE_ERRORS}, auth=api_token_auth)
def create_network(request, payload: NetworkIn):
    """Create a network (staff)."""
    network = Network()
    m2m = apply(network, payload.dict(), REFS)
    run(actions.save_network, request.auth, network, m2m=m2m)
    return Status(201, load_network(request, network.pk))


@router.patch(
    "/networks/{network_id}",
    response={200: NetworkDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def update_network(request, network_id: Id, payload: PatchDict[NetworkIn]):
    """Change a network (staff, or its current secretariat)."""
    network = get_object_or_404(Network, pk=network_id)
    check_can_edit(request.auth, network)
    m2m = apply(network, payload, REFS)
    run(actions.save_network, request.auth, network, m2m=m2m)
    return load_network(request, network.pk)


@router.delete("/networks/{network_id}", response={204: None, **WRITE_ERRORS}, auth=api_token_auth)
def delete_network(request, network_id: Id):
    """Delete a network (staff); the audit trail keeps its last state."""
    delete(request.auth, get_object_or_404(Network, pk=network_id))
    return Status(204, None)
