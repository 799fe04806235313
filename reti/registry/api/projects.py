"""Projects: list, detail with partners, actions and networks; writes."""

from django.db.models import Case, Prefetch, Value, When
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
    Fund,
    Network,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
    Theme,
)
from .filters import ProjectFilters
from .inputs import ProjectCreate, ProjectIn
from .schemas import ProjectDetail, ProjectItem
from .writes import check_can_edit, delete, run

router = Router(tags=["projects"])

REFS = {
    "period": Ref(ProgrammingPeriod, "code"),
    "fund": Ref(Fund, "code"),
    "themes": Ref(Theme, "code", many=True),
    "networks": Ref(Network, many=True),
}
LEAD_FIRST = Case(
    When(role=Partnership.Role.LEAD, then=Value(0)),
    When(role=Partnership.Role.PARTNER, then=Value(1)),
    default=Value(2),
)


def _list_queryset():
    return Project.objects.select_related("period", "fund", "source").prefetch_related("themes")


def load_project(pk: int) -> Project:
    """A project with its partners, networks and actions, in a fixed number of queries."""
    partners = Partnership.objects.select_related("organisation", "source").order_by(
        LEAD_FIRST, "pk"
    )
    queryset = _list_queryset().prefetch_related(
        Prefetch("partnerships", partners, to_attr="partners"),
        "networks",
        Prefetch("actions", Action.objects.select_related("source")),
    )
    return get_object_or_404(queryset, pk=pk)


@router.get(
    "/projects",
    response={200: page_of(ProjectItem, "ProjectPage"), **READ_ERRORS},
    url_name="project_list",
)
def list_projects(request, filters: Query[ProjectFilters], page: Query[PageParams]):
    """Projects by id; filter by period, theme, partners' territory and role, network, status,
    kind, fund, text."""
    check_params(request, ProjectFilters, PageParams)
    return paginate(request, queries.filter_projects(_list_queryset(), **filters.dict()), page)


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetail, **READ_ERRORS},
    url_name="project_detail",
)
def get_project(request, project_id: Id):
    """A project with its known partners and roles, declared partner count, actions, networks."""
    return load_project(project_id)


@router.post("/projects", response={201: ProjectDetail, **WRITE_ERRORS}, auth=api_token_auth)
def create_project(request, payload: ProjectCreate):
    """Create a project: staff any, an editor one led by their organisation (`lead`)."""
    data = payload.dict()
    lead = Ref(Organisation).resolve("lead", data.pop("lead"))
    project = Project()
    m2m = apply(project, data, REFS)
    run(actions.save_project, request.auth, project, lead=lead, m2m=m2m)
    return Status(201, load_project(project.pk))


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectDetail, **WRITE_ERRORS},
    auth=api_token_auth,
)
def update_project(request, project_id: Id, payload: PatchDict[ProjectIn]):
    """Change a project (staff, or editors of its lead organisation)."""
    project = get_object_or_404(Project, pk=project_id)
    check_can_edit(request.auth, project)
    m2m = apply(project, payload, REFS)
    run(actions.save_project, request.auth, project, m2m=m2m)
    return load_project(project.pk)


@router.delete("/projects/{project_id}", response={204: None, **WRITE_ERRORS}, auth=api_token_auth)
def delete_project(request, project_id: Id):
    """Delete a project with its partnerships and actions."""
    delete(request.auth, get_object_or_404(Project, pk=project_id))
    return Status(204, None)
