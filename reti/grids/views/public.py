"""Public pages: the published grids and the tree of one version with its rubrics."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import permissions
from ..forms import scored_nodes, used_attributes
from ..models import GridTemplate
from .common import get_template_for_user


@require_safe
def grid_list(request):
    templates = GridTemplate.objects.filter(permissions.visible_templates_q(request.user)).defer(
        "yaml", "tree"
    )
    return render(request, "grids/grid_list.html", {"templates": templates})


@require_safe
def grid_detail(request, code: str, version: int):
    template = get_template_for_user(request, code, version)
    parsed = template.engine_template()
    versions = GridTemplate.objects.filter(
        permissions.visible_templates_q(request.user), code=code
    ).only("code", "version", "status")
    return render(
        request,
        "grids/grid_detail.html",
        {
            "template": template,
            "parsed": parsed,
            "leaves": len(scored_nodes(parsed)),
            "attributes": used_attributes(parsed),
            "versions": versions,
        },
    )
