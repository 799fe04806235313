"""Public pages: the published grids and the tree of one version with its rubrics."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import tabular

from .. import permissions
from ..forms import scored_nodes, used_attributes
from ..models import GridTemplate
from .common import get_template_for_user

GRIDS = tabular.Table(
    "griglie",
    _("Versioni delle griglie di valutazione"),
    (
        tabular.Column("codice", _("Codice della griglia"), "code"),
        tabular.Column("versione", _("Versione"), "version", type="integer"),
        tabular.Column("titolo", _("Titolo"), "title_it"),
        tabular.Column("titolo_en", _("Titolo in inglese"), "title_en"),
        tabular.Column("stato", _("Stato"), lambda t: t.get_status_display()),
        tabular.Column("pubblicata_il", _("Pubblicata il"), "published_at", type="datetime"),
        tabular.Column("fonte", _("Fonte"), "source"),
        tabular.Column("licenza", _("Licenza"), "licence"),
        tabular.Column(
            "pagina", _("Pagina della versione"), lambda t: t.get_absolute_url(), type="url"
        ),
    ),
    description=_(
        "Le versioni pubblicate e ritirate delle griglie; una versione pubblicata non cambia più."
    ),
)  # fmt: skip


@require_safe
def grid_list(request):
    templates = GridTemplate.objects.filter(permissions.visible_templates_q(request.user)).defer(
        "yaml", "tree"
    )
    if tabular.requested(request):
        return tabular.download(request, GRIDS, templates.order_by("code", "version"))
    context = {"templates": templates, "downloads": tabular.links(request.path, {})}
    return render(request, "grids/grid_list.html", context)


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
