"""Working groups of networks with their coordinators, priorities and yearly programme."""

from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status

from reti.accounts.auth import api_token_auth
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, page_of
from reti.lib.api.writes import Ref, apply

from .. import actions, queries
from ..models import Network, Organisation, Theme, WorkingGroup
from .filters import WorkingGroupFilters
from .inputs import WorkingGroupIn
from .schemas import WorkingGroupDetail, WorkingGroupItem
from .writes import check_can_edit, delete, run

router = Router(tags=["working groups"])

REFS = {
    "network": Ref(Network),
    "coordinator": Ref(Organisation),
    "themes": Ref(Theme, "code", many=True),
    "related_networks": Ref(Network, many=True),
}


def _list_queryset():
    return WorkingGroup.objects.select_related("network", "coordinator", "source").prefetch_related(
        "themes"
    )


def load_working_group(pk: int) -> WorkingGroup:
    queryset = _list_queryset().prefetch_related("related_networks")
    return get_object_or_404(queryset, pk=pk)


@router.get(
    "/working-groups",
    response={200: page_of(WorkingGroupItem, "WorkingGroupPage"), **READ_ERRORS},
    url_name="working_group_list",
)
def list_working_groups(request, filters: Query[WorkingGroupFilters], page: Query[PageParams]):
    """Working groups by id; filter by network, programme year, theme, coordinator, text."""
    check_params(request, WorkingGroupFilters, PageParams)
    return paginate(
        request, queries.filter_working_groups(_list_queryset(), **filters.dict()), page
    )


@router.get(
    "/working-groups/{group_id}",
    response={200: WorkingGroupDetail, **READ_ERRORS},
    url_name="working_group_detail",
)
def get_working_group(request, group_id: Id):
    """A working group with its network, coordinator, priorities and related networks."""
    return load_working_group(group_id)


@router.post(
    "/working-groups", response={201: WorkingGroupDetail, **WRITE_ERRORS}, auth=api_token_auth
)
def create_working_group(request, payload: WorkingGroupIn):
    """Create a working group (staff, or the network's secretariat)."""
    group = WorkingGroup()
    m2m = apply(group, payload.dict(), REFS)
    run(actions.save_record, request.auth, group, m2m=m2m)
    return Status(201, load_working_group(group.pk))


@router.patch(
    "/working-groups/{group_id}",
    response={200: WorkingGroupDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def update_working_group(request, group_id: Id, payload: PatchDict[WorkingGroupIn]):
    """Change a working group (staff, or the network's secretariat)."""
    group = get_object_or_404(WorkingGroup.objects.select_related("network"), pk=group_id)
    check_can_edit(request.auth, group)
    m2m = apply(group, payload, REFS)
    run(actions.save_record, request.auth, group, m2m=m2m)
    return load_working_group(group.pk)


@router.delete(
    "/working-groups/{group_id}", response={204: None, **WRITE_ERRORS}, auth=api_token_auth
)
def delete_working_group(request, group_id: Id):
    """Delete a working group (staff, or the network's secretariat)."""
    delete(
        request.auth, get_object_or_404(WorkingGroup.objects.select_related("network"), pk=group_id)
    )
    return Status(204, None)
