"""The grids API: published templates with their tree, the stateless evaluate endpoint (the
same engine call as stored assessments) and the assessments a reader may see."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from reti.accounts.auth import reader
from reti.accounts.permissions import is_registry_staff
from reti.lib.api.errors import BadRequest
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, Id, Input, page_of

from . import permissions, queries, scoring
from .models import Assessment, Committee, CommitteeMember, GridTemplate

router = Router(tags=["grids"])


class TemplateItem(Schema):
    code: str
    version: int
    status: str
    title_it: str
    title_en: str
    source: str
    licence: str
    published_at: datetime | None


class TemplateDetail(TemplateItem):
    tree: dict[str, Any] = Field(description="The version's YAML as a JSON object.")


class EvidenceIn(Input):
    kind: Literal["document", "url", "text"]
    ref: str = Field(max_length=2000)


class AnswerIn(Input):
    value: str | bool | int | None = Field(
        None, description='A number as a string ("7.5"), a level code, true/false or null.'
    )
    justification: str = Field("", max_length=4000)
    evidence: list[EvidenceIn] = []
    multiline = frozenset({"justification"})


class EvaluateIn(Input):
    answers: dict[str, AnswerIn] = Field(description="Scores by node code.")
    subject: dict[str, str] = Field(
        default_factory=dict,
        description="The subject's attributes for applicability: size_class, ateco, "
        "legal_form, call_line.",
    )


class ProblemOut(Schema):
    node: str
    field: str
    message: str


class EvaluateOut(Schema):
    result: dict[str, Any] = Field(description="The engine's result with its full trace.")
    engine_version: str
    problems: list[ProblemOut] = Field(
        description="What would keep these answers from being submitted (missing "
        "justification or evidence, values off the scale); the result is computed anyway."
    )


class AssessmentOut(Schema):
    id: int
    template: str
    version: int
    mode: str
    state: str
    subject_type: str
    subject_id: int
    evaluator: str | None
    committee_id: int | None
    answers: dict[str, Any]
    subject_attributes: dict[str, str]
    result: dict[str, Any] | None
    total: str | None
    outcome: str
    engine_version: str
    submitted_at: datetime | None
    synthetic: bool

    @staticmethod
    def resolve_template(obj):
        return obj.template.code

    @staticmethod
    def resolve_version(obj):
        return obj.template.version

    @staticmethod
    def resolve_subject_type(obj):
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}"

    @staticmethod
    def resolve_evaluator(obj):
        return obj.evaluator.get_username() if obj.evaluator_id else None

    @staticmethod
    def resolve_result(obj):
        return obj.full_result

    @staticmethod
    def resolve_total(obj):
        return obj.result.get("total") if obj.result else None


class RankedOut(Schema):
    position: int = Field(description="1 first; subjects still equal share a position.")
    subject: str
    subject_key: str = Field(description='"<content type id>:<id>": the key of the lot.')
    assessment_id: int = Field(description="The consensus assessment ranked.")
    outcome: str = Field(description="admissible, below_threshold or not_admissible.")
    total: str
    max_points: str
    scores: dict[str, str] = Field(description="Points of the nodes named by tie-breaks.")
    submitted_at: datetime | None = Field(description="The subject's own submission time.")
    decided_by: str = Field(
        description="What set it apart from its neighbours: outcome, total, a tie-break, or tie."
    )
    lot: str = Field(description="SHA-256 of the seed, a NUL byte and the key (when drawn).")


class RankingOut(Schema):
    committee_id: int
    tie_breaks: list[str] = Field(description="Declared, in order: node:<code>, submitted_at, lot.")
    seed: str = Field(description="The recorded seed of the lot.")
    rows: list[RankedOut]
    pending: list[str] = Field(description="Subjects without a consensus yet, not ranked.")


def _template(request, code: str, version: int) -> GridTemplate:
    template = get_object_or_404(GridTemplate, code=code, version=version)
    if not permissions.can_view_template(reader(request), template):
        raise Http404
    return template


def _visible_assessments_q(user) -> Q | None:
    if is_registry_staff(user):
        return Q()
    if not user.is_authenticated:
        return None
    overseen = CommitteeMember.objects.filter(
        user=user, role__in=[CommitteeMember.Role.CHAIR, CommitteeMember.Role.SECRETARY]
    ).values("committee_id")
    published = [sheet.pk for sheet in queries.published_sheets_of(user)]
    return (
        Q(evaluator=user)
        | Q(committee_id__in=overseen, state=Assessment.State.SUBMITTED)
        | Q(pk__in=published)
    )


def _assessments():
    return Assessment.objects.select_related("template", "evaluator", "subject_type")


@router.get(
    "/grids/assessments",
    response={200: page_of(AssessmentOut, "AssessmentPage"), **READ_ERRORS},
    url_name="grid_assessment_list",
)
def list_assessments(request, page: Query[PageParams]):
    """The reader's own assessments, the submitted ones of committees they chair or serve as
    secretary, and the published committee sheets of organisations they edit (a token is
    needed; anonymous readers get an empty page)."""
    check_params(request, PageParams)
    visible = _visible_assessments_q(reader(request))
    queryset = _assessments().filter(visible) if visible is not None else _assessments().none()
    return paginate(request, queryset, page)


@router.get(
    "/grids/assessments/{assessment_id}",
    response={200: AssessmentOut, **READ_ERRORS},
    url_name="grid_assessment_detail",
)
def get_assessment(request, assessment_id: Id):
    """A stored assessment with its result and trace, if the reader may see it (blind until
    every evaluator of the subject has submitted)."""
    assessment = get_object_or_404(_assessments(), pk=assessment_id)
    if not permissions.can_view_assessment(reader(request), assessment):
        raise Http404
    return assessment


@router.get(
    "/grids/committees/{committee_id}/ranking",
    response={200: RankingOut, **READ_ERRORS},
    url_name="grid_committee_ranking",
)
def get_ranking(request, committee_id: Id):
    """The committee's ranking of its consensus results, for its members (and staff), by
    token or session: the same rows as the ranking page, the tie-breaks and the seed."""
    committee = get_object_or_404(Committee.objects.select_related("template"), pk=committee_id)
    if not permissions.can_view_ranking(reader(request), committee):
        raise Http404
    ranking = queries.committee_ranking(committee)
    return {
        "committee_id": committee.pk,
        "tie_breaks": list(ranking.tie_breaks),
        "seed": ranking.seed,
        "rows": [
            {
                "position": row.position,
                "subject": str(row.subject),
                "subject_key": row.subject_key,
                "assessment_id": row.assessment_id,
                "outcome": row.outcome,
                "total": str(row.total),
                "max_points": str(row.max_points),
                "scores": {code: str(points) for code, points in row.scores.items()},
                "submitted_at": row.submitted_at,
                "decided_by": row.decided_by,
                "lot": row.lot,
            }
            for row in ranking.rows
        ],
        "pending": [str(subject) for subject in ranking.pending],
    }


@router.get(
    "/grids",
    response={200: page_of(TemplateItem, "GridTemplatePage"), **READ_ERRORS},
    url_name="grid_list",
)
def list_templates(request, page: Query[PageParams]):
    """Published (and retired) grid versions, by id."""
    check_params(request, PageParams)
    queryset = GridTemplate.objects.filter(permissions.visible_templates_q(reader(request)))
    return paginate(request, queryset.defer("yaml", "tree"), page)


@router.get(
    "/grids/{code}/{version}",
    response={200: TemplateDetail, **READ_ERRORS},
    url_name="grid_detail",
)
def get_template(request, code: str, version: Id):
    """One version with its tree of nodes, scales and rules."""
    return _template(request, code, version)


@router.post(
    "/grids/{code}/{version}/evaluate",
    response={200: EvaluateOut, **READ_ERRORS},
    url_name="grid_evaluate",
)
def evaluate(request, code: str, version: Id, payload: EvaluateIn):
    """Compute the result and its full trace for these scores, storing nothing: the same
    function stored assessments use, so anyone can check a published result."""
    from . import engine

    template = _template(request, code, version).engine_template()
    answers = {key: item.dict() for key, item in payload.answers.items()}
    unknown = [key for key in answers if key not in {n.code for n in template.walk()}]
    if unknown:
        raise BadRequest("answers", f"Unknown node codes: {', '.join(sorted(unknown))}")
    result = scoring.run(template, answers, payload.subject)
    problems = scoring.problems(template, answers, payload.subject)
    return {
        "result": result.as_dict(),
        "engine_version": engine.ENGINE_VERSION,
        "problems": [{"node": p.node, "field": p.field, "message": p.message} for p in problems],
    }
