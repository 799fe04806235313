"""The monitoring API: interventions (public), uploads, batches and participant exports.

Uploads, batches, reports and participant records need a token (Authorization: Bearer) of
the intervention's authorised users or an auditor (permissions.py); every read of
participant-level data is logged in the access log, every refusal too.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from reti.accounts.auth import api_token_auth
from reti.lib.api.errors import BadRequest
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, page_of

from . import actions, permissions
from .forms import MAX_UPLOAD_BYTES
from .importing.run import read_progress
from .models import ImportBatch, Intervention, ParticipantAccessLog, ParticipantRecord

router = Router(tags=["monitoring"])


class InterventionOut(Schema):
    id: int
    code: str
    title_it: str
    title_en: str
    organisation_id: int
    project_id: int | None
    region: str
    period: str
    fund: str | None
    instrument: str
    budget: float | None
    start_date: date
    end_date: date
    target_groups: list[str]
    synthetic: bool

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_period(obj):
        return obj.period.code

    @staticmethod
    def resolve_fund(obj):
        return obj.fund.code if obj.fund_id else None

    @staticmethod
    def resolve_budget(obj):
        return None if obj.budget is None else float(obj.budget)

    @staticmethod
    def resolve_target_groups(obj):
        return [g.group for g in obj.target_groups.all()]


class BatchOut(Schema):
    id: int
    intervention_id: Id
    file_name: str
    sha256: str
    mode: str
    status: str
    uploaded_at: datetime
    finished_at: datetime | None
    progress: float
    rows_read: int
    rows_created: int
    rows_updated: int
    rows_removed: int
    error_count: int
    replaced_batch_id: Id | None
    failure: str = Field(description="Why a failed batch failed: error, abandoned, interrupted")
    failure_reason: str = Field(description="The same, in words for the uploader")

    @staticmethod
    def resolve_failure_reason(obj):
        return obj.get_failure_display() if obj.failure else ""

    @staticmethod
    def resolve_progress(obj):
        return 1.0 if obj.finished else read_progress(obj)[0]


class ProblemOut(Schema):
    row: int
    column: str
    value: str
    reason: str


class ParticipantOut(Schema):
    """A pseudonymised participant record, with the snapshot's columns."""

    id: int
    intervention_id: Id
    person_key: str
    gender: str
    age_at_entry: int
    entry_date: date
    exit_date: date | None
    status_at_entry: str
    long_term_unemployed: bool
    inactive_not_in_education: bool
    isced: int | None
    disability: bool
    third_country_national: bool
    foreign_background: bool
    minority: bool
    homeless: bool
    rural_area: bool
    penal_execution: bool
    trafficking_victim: bool
    other_disadvantaged: bool
    leaving_observed_on: date | None
    leaving_job_searching: bool | None
    leaving_in_education: bool | None
    leaving_qualification: bool | None
    leaving_employed: bool | None
    followup_observed_on: date | None
    followup_employed: bool | None
    followup_improved: bool | None
    synthetic: bool


InterventionPage = page_of(InterventionOut, "InterventionPage")
ParticipantPage = page_of(ParticipantOut, "ParticipantPage")


def _intervention(pk: int) -> Intervention:
    return get_object_or_404(Intervention.objects.select_related("region", "period", "fund"), pk=pk)


def _readable(request, intervention: Intervention, what: str) -> None:
    if not permissions.can_view_participants(request.auth, intervention):
        actions.log_access(
            request.auth,
            ParticipantAccessLog.Action.REFUSED,
            what,
            intervention=intervention,
            channel="api",
        )
        raise PermissionDenied("You do not read this intervention's participant data.")


class InterventionFilters(Schema):
    region: str | None = Field(None, description="ISTAT code of the region.")
    period: str | None = Field(None, description="Programming period code.")


@router.get(
    "/monitoring/interventions",
    response={200: InterventionPage, **READ_ERRORS},
    url_name="monitoring_interventions",
)
def list_interventions(request, filters: Query[InterventionFilters], page: Query[PageParams]):
    """Interventions (public): code, owner, region, period, fund, instrument, dates, budget."""
    check_params(request, InterventionFilters, PageParams)
    region, period = filters.region, filters.period
    queryset = Intervention.objects.select_related("region", "period", "fund").prefetch_related(
        "target_groups"
    )
    if region:
        queryset = queryset.filter(region__code=region)
    if period:
        queryset = queryset.filter(period__code=period)
    return paginate(request, queryset, page)


@router.get(
    "/monitoring/interventions/{intervention_id}",
    response={200: InterventionOut, **READ_ERRORS},
    url_name="monitoring_intervention",
)
def get_intervention(request, intervention_id: Id):
    return _intervention(intervention_id)


@router.post(
    "/monitoring/interventions/{intervention_id}/batches",
    response={202: BatchOut, **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="monitoring_upload",
)
def upload(
    request,
    intervention_id: Id,
    file: File[UploadedFile],
    mode: Form[str] = "replace",
    confirm_shrink: Form[bool] = False,
):
    """Upload a participant file (CSV or XLSX, the published columns); the import runs in the
    background: follow it at /monitoring/batches/{id}. mode: replace (default) or append.
    confirm_shrink: true to accept a replacing file that loses more than half of the
    intervention's records (and more than 10); without it such a file is rejected."""
    intervention = _intervention(intervention_id)
    if mode not in ImportBatch.Mode.values:
        raise BadRequest("mode", "replace or append")
    if file.size > MAX_UPLOAD_BYTES:
        raise BadRequest("file", "At most 512 MB.")
    return Status(
        202,
        actions.upload_batch(
            request.auth,
            intervention,
            file,
            mode=mode,
            channel="api",
            confirm_shrink=confirm_shrink,
        ),
    )


@router.get(
    "/monitoring/batches/{batch_id}",
    response={200: BatchOut, **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="monitoring_batch",
)
def get_batch(request, batch_id: Id):
    """An import batch's status, progress (0-1) and counts."""
    batch = get_object_or_404(ImportBatch.objects.select_related("intervention"), pk=batch_id)
    _readable(request, batch.intervention, f"batch {batch.pk}")
    return batch


@router.get(
    "/monitoring/batches/{batch_id}/report",
    response={200: list[ProblemOut], **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="monitoring_batch_report",
)
def get_report(request, batch_id: Id):
    """The validation report: every bad row, column, value (masked) and reason."""
    batch = get_object_or_404(ImportBatch.objects.select_related("intervention"), pk=batch_id)
    problems = actions.read_batch_report(request.auth, batch, channel="api")
    return [
        {"row": row, "column": column, "value": value, "reason": reason}
        for row, column, value, reason in problems
    ]


@router.get(
    "/monitoring/interventions/{intervention_id}/participants",
    response={200: ParticipantPage, **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="monitoring_participants",
)
def list_participants(request, intervention_id: Id, page: Query[PageParams]):
    """The intervention's pseudonymised participant records, a page at a time (logged)."""
    intervention = _intervention(intervention_id)
    if not permissions.can_export_participants(request.auth, intervention):
        _readable(request, intervention, "participant export")
    result = paginate(request, ParticipantRecord.objects.filter(intervention=intervention), page)
    actions.log_access(
        request.auth,
        ParticipantAccessLog.Action.EXPORT,
        "participant export (API page)",
        intervention=intervention,
        count=len(result["items"]),
        channel="api",
    )
    return result
