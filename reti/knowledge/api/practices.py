"""Practices in the API: list with filters and search, detail, writes and lifecycle steps."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, PatchDict, Query, Router, Schema, Status
from ninja.files import UploadedFile

from reti.accounts.auth import api_token_auth, reader
from reti.lib.api.errors import BadRequest
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, page_of
from reti.lib.api.writes import Ref, apply
from reti.registry.models import (
    Fund,
    Network,
    Organisation,
    ProgrammingPeriod,
    Project,
    Territory,
    Theme,
)

from .. import actions, permissions, search
from ..models import GoodPractice, PracticeLink, PracticeResult, TargetGroup
from .schemas import (
    AttachmentOut,
    CommentIn,
    PracticeDetail,
    PracticeIn,
    PracticeItem,
    ReasonsIn,
)

router = Router(tags=["practices"])
REASON = "api"
REFS = {
    "lead_organisation": Ref(Organisation),
    "partner_organisations": Ref(Organisation, many=True),
    "network": Ref(Network, "slug"),
    "project": Ref(Project),
    "territory": Ref(Territory, "code", get=Territory.objects.by_code),
    "period": Ref(ProgrammingPeriod, "code"),
    "fund": Ref(Fund, "code"),
    "themes": Ref(Theme, "code", many=True),
    "target_groups": Ref(TargetGroup, "code", many=True),
}


class PracticeFilters(Schema):
    q: str | None = None
    theme: str | None = None
    target_group: str | None = None
    region: str | None = None
    network: str | None = None
    period: str | None = None
    state: str | None = None


FILTERS = {
    "theme": ("themes", Theme, "code"),
    "target_group": ("target_groups", TargetGroup, "code"),
    "region": ("region", Territory, "code"),
    "network": ("network", Network, "slug"),
    "period": ("period", ProgrammingPeriod, "code"),
}


def _queryset():
    return GoodPractice.objects.select_related("lead_organisation", "network", "region", "period")


PARTS = {"figures": PracticeResult, "links": PracticeLink}


def _split_parts(data: dict) -> dict:
    """Take the nested lists (results, links) out of a body: they are saved after the practice."""
    parts = {name: data.pop(name, None) for name in PARTS}
    return {name: rows for name, rows in parts.items() if rows is not None}


def _save_parts(user, practice, parts: dict) -> None:
    for name, rows in parts.items():
        model = PARTS[name]
        actions.replace_practice_parts(
            user, practice, name, [model(**dict(row)) for row in rows], reason=REASON
        )


def _filter(queryset, filters: PracticeFilters):
    for name, (field, model, code) in FILTERS.items():
        value = getattr(filters, name)
        if value:
            target = model.objects.filter(**{code: value}).first()
            if target is None:
                raise BadRequest(name, f"Unknown {name}: {value}")
            queryset = queryset.filter(**{field: target})
    if filters.state:
        if filters.state not in GoodPractice.State.values:
            raise BadRequest("state", f"Unknown state: {filters.state}")
        queryset = queryset.filter(state=filters.state)
    if filters.q:
        ids = search.matching_ids(filters.q)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
    return queryset


def _load(request, pk: int) -> GoodPractice:
    practice = get_object_or_404(_queryset().select_related("territory", "project", "fund"), pk=pk)
    if not permissions.can_view(reader(request), practice):
        raise Http404  # a draft's existence stays private
    return practice


@router.get(
    "/practices",
    response={200: page_of(PracticeItem, "PracticePage"), **READ_ERRORS},
    url_name="practice_list",
)
def list_practices(request, filters: Query[PracticeFilters], page: Query[PageParams]):
    """Practices by id: published ones, and with a token also those its user may see.

    `q` searches titles, texts and attachment text (among the best 1,000 matches); filters by
    theme, target group, region (ISTAT code), network (slug), period, state."""
    check_params(request, PracticeFilters, PageParams)
    queryset = _queryset().filter(permissions.visible_practices_q(reader(request)))
    return paginate(request, _filter(queryset, filters), page)


@router.get(
    "/practices/{practice_id}",
    response={200: PracticeDetail, **READ_ERRORS},
    url_name="practice_detail",
)
def get_practice(request, practice_id: Id):
    """A practice with its texts, results, links, public contacts, attachments, transfers."""
    return _load(request, practice_id)


@router.post("/practices", response={201: PracticeDetail, **WRITE_ERRORS}, auth=api_token_auth)
def create_practice(request, payload: PracticeIn):
    """Create a draft led by an organisation the token's user edits."""
    practice = GoodPractice()
    data = payload.dict()
    parts = _split_parts(data)
    with transaction.atomic():
        m2m = apply(practice, data, REFS)
        actions.create_practice(request.auth, practice, m2m=m2m, reason=REASON)
        _save_parts(request.auth, practice, parts)
    return Status(201, _load(request, practice.pk))


@router.patch(
    "/practices/{practice_id}",
    response={200: PracticeDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def update_practice(request, practice_id: Id, payload: PatchDict[PracticeIn]):
    """Change a draft or sent-back practice (its authors, or staff)."""
    practice = _load(request, practice_id)
    if not permissions.can_edit(request.auth, practice):
        raise PermissionDenied("You do not edit this practice.")
    data = dict(payload)
    parts = _split_parts(data)
    with transaction.atomic():
        m2m = apply(practice, data, REFS)
        actions.update_practice(request.auth, practice, m2m=m2m, reason=REASON)
        _save_parts(request.auth, practice, parts)
    return _load(request, practice.pk)


def _step(request, practice_id: Id, action, *args):
    practice = _load(request, practice_id)
    action(request.auth, practice, *args)
    return _load(request, practice_id)


@router.post(
    "/practices/{practice_id}/submit",
    url_name="practice_submit",
    response={200: PracticeDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def submit_practice(request, practice_id: Id):
    """Send a draft to the network's secretariat."""
    return _step(request, practice_id, actions.submit_practice)


@router.post(
    "/practices/{practice_id}/validate",
    url_name="practice_validate",
    response={200: PracticeDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def validate_practice(request, practice_id: Id, payload: CommentIn):
    """Validate a submitted practice with a comment (the network's secretariat)."""
    return _step(request, practice_id, actions.validate_practice, payload.comment)


@router.post(
    "/practices/{practice_id}/send-back",
    url_name="practice_send_back",
    response={200: PracticeDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def send_back_practice(request, practice_id: Id, payload: ReasonsIn):
    """Send a practice back to its authors with reasons (the network's secretariat)."""
    return _step(request, practice_id, actions.send_back_practice, payload.reasons)


@router.post(
    "/practices/{practice_id}/publish",
    url_name="practice_publish",
    response={200: PracticeDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def publish_practice(request, practice_id: Id):
    """Publish a validated practice (the network's secretariat)."""
    return _step(request, practice_id, actions.publish_practice)


@router.post(
    "/practices/{practice_id}/archive",
    url_name="practice_archive",
    response={200: PracticeDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def archive_practice(request, practice_id: Id):
    """Withdraw a published practice (the network's secretariat)."""
    return _step(request, practice_id, actions.archive_practice)


@router.post(
    "/practices/{practice_id}/attachments",
    url_name="practice_attachments",
    response={201: AttachmentOut, **WRITE_ERRORS},
    auth=api_token_auth,
)
def upload_attachment(request, practice_id: Id, file: File[UploadedFile], title: Form[str] = ""):
    """Attach a PDF, DOCX, ODT, PNG or JPEG (20 MB at most); its text is extracted later."""
    practice = _load(request, practice_id)
    return Status(201, actions.add_attachment(request.auth, practice, file, title=title))
