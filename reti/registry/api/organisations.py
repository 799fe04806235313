"""Organisations: list, detail with roles in networks over time and partnerships; writes."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status

from reti.accounts.auth import api_token_auth
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, page_of
from reti.lib.api.writes import Ref, apply

from .. import actions, queries
from ..models import GoverningRole, Organisation, Territory
from .common import DETAIL_LIMIT, list_url
from .filters import OrganisationFilters
from .inputs import OrganisationIn
from .schemas import OrganisationDetail, OrganisationItem
from .writes import check_can_edit, delete, run

router = Router(tags=["organisations"])

REFS = {
    "parent": Ref(Organisation),
    "territory": Ref(Territory, "code", get=Territory.objects.by_code),
}


def _list_queryset():
    return Organisation.objects.select_related("parent", "territory", "source")


def load_organisation(request, pk: int) -> Organisation:
    """An organisation with its network roles and first partnerships, in four queries."""
    roles = GoverningRole.objects.select_related("network", "source").order_by(
        "start_date", "attested_on", "pk"
    )
    queryset = _list_queryset().prefetch_related(Prefetch("network_roles", roles))
    organisation = get_object_or_404(queryset, pk=pk)
    partnerships = organisation.partnerships.select_related("project", "source")
    organisation.first_partnerships = list(partnerships.order_by("project_id")[:DETAIL_LIMIT])
    organisation.partnerships_url = list_url(request, "project_list", organisation=organisation.pk)
    return organisation


@router.get(
    "/organisations",
    response={200: page_of(OrganisationItem, "OrganisationPage"), **READ_ERRORS},
    url_name="organisation_list",
)
def list_organisations(request, filters: Query[OrganisationFilters], page: Query[PageParams]):
    """Organisations by id; filter by territory (subdivisions included), kind, status, role
    held in networks, network, parent, text."""
    check_params(request, OrganisationFilters, PageParams)
    return paginate(request, queries.filter_organisations(_list_queryset(), **filters.dict()), page)


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationDetail, **READ_ERRORS},
    url_name="organisation_detail",
)
def get_organisation(request, organisation_id: Id):
    """An organisation with its parent, territory, roles in networks and partnerships."""
    return load_organisation(request, organisation_id)


@router.post(
    "/organisations", response={201: OrganisationDetail, **WRITE_ERRORS}, auth=api_token_auth
)
def create_organisation(request, payload: OrganisationIn):
    """Register an organisation (staff)."""
    organisation = Organisation()
    apply(organisation, payload.dict(), REFS)
    run(actions.save_organisation, request.auth, organisation)
    return Status(201, load_organisation(request, organisation.pk))


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def update_organisation(request, organisation_id: Id, payload: PatchDict[OrganisationIn]):
    """Change an organisation (staff, or its own editors)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    check_can_edit(request.auth, organisation)
    apply(organisation, payload, REFS)
    run(actions.save_organisation, request.auth, organisation)
    return load_organisation(request, organisation.pk)


@router.delete(
    "/organisations/{organisation_id}",
    response={204: None, **WRITE_ERRORS},
    auth=api_token_auth,
)
def delete_organisation(request, organisation_id: Id):
    """Delete an organisation (staff) that no partnership or role refers to."""
    delete(request.auth, get_object_or_404(Organisation, pk=organisation_id))
    return Status(204, None)
