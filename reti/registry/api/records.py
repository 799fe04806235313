"""Records hanging from a network or a project: partnerships, governing roles, network links.

Each gets GET, POST, PATCH and DELETE at /<path> and /<path>/{id}; the parent's editors may
write them (a project's lead for partnerships, a network's secretariat for roles and links).
"""

from django.shortcuts import get_object_or_404
from ninja import PatchDict, Router, Status

from reti.accounts.auth import api_token_auth
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id
from reti.lib.api.writes import Ref, apply

from .. import actions
from ..models import GoverningRole, Network, NetworkLink, Organisation, Partnership, Project
from .inputs import GoverningRoleIn, NetworkLinkIn, PartnershipIn
from .schemas import GoverningRoleOut, NetworkLinkOut, PartnershipOut
from .writes import check_can_edit, delete, run

router = Router()


def record_routes(path: str, label: str, model, body, out, refs: dict, related: tuple[str, ...]):
    """Add the four routes of one kind of record to `router`."""
    queryset = model.objects.select_related("source", *related)
    name = model._meta.model_name
    tag = f"{label}s"

    @router.get(
        f"/{path}/{{record_id}}",
        response={200: out, **READ_ERRORS},
        tags=[tag],
        url_name=f"{name}_detail",
        operation_id=f"get_{name}",
        summary=f"Get one: {label}",
    )
    def get(request, record_id: Id):
        return get_object_or_404(queryset, pk=record_id)

    @router.post(
        f"/{path}",
        response={201: out, **WRITE_ERRORS},
        auth=api_token_auth,
        tags=[tag],
        url_name=f"create_{name}",
        operation_id=f"create_{name}",
        summary=f"Create: {label}",
    )
    def create(request, payload: body):
        record = model()
        apply(record, payload.dict(), refs)
        run(actions.save_record, request.auth, record)
        return Status(201, queryset.get(pk=record.pk))

    @router.patch(
        f"/{path}/{{record_id}}",
        response={200: out, **WRITE_ERRORS},
        auth=api_token_auth,
        tags=[tag],
        url_name=f"update_{name}",
        operation_id=f"update_{name}",
        summary=f"Update: {label}",
    )
    def update(request, record_id: Id, payload: PatchDict[body]):
        record = get_object_or_404(queryset, pk=record_id)
        check_can_edit(request.auth, record)
        apply(record, payload, refs)
        run(actions.save_record, request.auth, record)
        return queryset.get(pk=record.pk)

    @router.delete(
        f"/{path}/{{record_id}}",
        response={204: None, **WRITE_ERRORS},
        auth=api_token_auth,
        tags=[tag],
        url_name=f"delete_{name}",
        operation_id=f"delete_{name}",
        summary=f"Delete: {label}",
    )
    def remove(request, record_id: Id):
        delete(request.auth, get_object_or_404(queryset, pk=record_id))
        return Status(204, None)


record_routes(
    "partnerships",
    "partnership",
    Partnership,
    PartnershipIn,
    PartnershipOut,
    {"project": Ref(Project), "organisation": Ref(Organisation)},
    ("project", "organisation"),
)
record_routes(
    "governing-roles",
    "governing role",
    GoverningRole,
    GoverningRoleIn,
    GoverningRoleOut,
    {"network": Ref(Network), "organisation": Ref(Organisation)},
    ("network", "organisation"),
)
record_routes(
    "network-links",
    "network link",
    NetworkLink,
    NetworkLinkIn,
    NetworkLinkOut,
    {"from_network": Ref(Network), "to_network": Ref(Network)},
    ("from_network", "to_network"),
)
