"""Transfers in the API: list with filters, record one, change its stage."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Schema, Status

from reti.accounts.auth import api_token_auth, reader
from reti.lib.api.errors import BadRequest
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, page_of
from reti.lib.api.writes import Ref, apply
from reti.registry.models import Network, Organisation, Territory

from .. import actions, permissions
from ..models import GoodPractice, Transfer
from .schemas import TransferIn, TransferOut

router = Router(tags=["transfers"])
PUBLIC = (GoodPractice.State.PUBLISHED, GoodPractice.State.ARCHIVED)
REFS = {
    "practice": Ref(GoodPractice),
    "adopting_organisation": Ref(Organisation),
    "adopting_region": Ref(Territory, "code", get=Territory.objects.by_code),
}


class TransferFilters(Schema):
    practice: Id | None = None
    organisation: Id | None = None
    network: str | None = None
    stage: str | None = None


def _queryset():
    return Transfer.objects.filter(practice__state__in=PUBLIC).select_related(
        "practice", "adopting_organisation", "adopting_region"
    )


@router.get(
    "/transfers",
    response={200: page_of(TransferOut, "TransferPage"), **READ_ERRORS},
    url_name="transfer_list",
)
def list_transfers(request, filters: Query[TransferFilters], page: Query[PageParams]):
    """Transfers of public practices; filter by practice, organisation (giving or taking),
    network of origin (slug), stage."""
    check_params(request, TransferFilters, PageParams)
    queryset = _queryset()
    if filters.practice:
        queryset = queryset.filter(practice_id=filters.practice)
    if filters.organisation:
        queryset = queryset.filter(adopting_organisation_id=filters.organisation) | queryset.filter(
            practice__lead_organisation_id=filters.organisation
        )
    if filters.network:
        network = Network.objects.filter(slug=filters.network).first()
        if network is None:
            raise BadRequest("network", f"Unknown network: {filters.network}")
        queryset = queryset.filter(practice__network=network)
    if filters.stage:
        if filters.stage not in Transfer.Stage.values:
            raise BadRequest("stage", f"Unknown stage: {filters.stage}")
        queryset = queryset.filter(stage=filters.stage)
    return paginate(request, queryset, page)


@router.post("/transfers", response={201: TransferOut, **WRITE_ERRORS}, auth=api_token_auth)
def create_transfer(request, payload: TransferIn):
    """Record a transfer of a published practice (the adopter's editors, the practice's
    authors or network secretariat, staff)."""
    transfer = Transfer()
    apply(transfer, payload.dict(), REFS)
    if not permissions.can_view(reader(request), transfer.practice):
        raise BadRequest("practice", f"Unknown practice: {payload.practice}")
    actions.record_transfer(request.auth, transfer, reason="api")
    return Status(201, _queryset().get(pk=transfer.pk))


@router.patch(
    "/transfers/{transfer_id}",
    url_name="transfer_detail",
    response={200: TransferOut, **WRITE_ERRORS},
    auth=api_token_auth,
)
def update_transfer(request, transfer_id: Id, payload: PatchDict[TransferIn]):
    """Move a transfer on (its stage, what was adapted, results, dates)."""
    transfer = get_object_or_404(_queryset(), pk=transfer_id)
    if not permissions.can_edit_transfer(request.auth, transfer):
        raise PermissionDenied("You do not edit this transfer.")
    apply(transfer, payload, REFS)
    actions.record_transfer(request.auth, transfer, reason="api")
    return _queryset().get(pk=transfer.pk)
