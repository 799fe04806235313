"""Pages for everyone: the CSR home, the anonymous self-assessment, attestation checks.

The anonymous mode keeps its answers in the visitor's session only (no record is written):
the figures give the size class, the answers are evaluated by the grids engine on each
request, and the result can be downloaded as PDF or JSON.
"""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.grids import scoring
from reti.lib import tabular
from reti.lib.pdf import pdf_response, render_pdf
from reti.monitoring.analytics.suppression import threshold_setting as suppression_threshold

from .. import actions, facilitations, levels, network, sizes
from ..forms import AnonymousFigures, CsrScoringForm
from ..models import Attestation, Company
from ..report import as_json, report

SESSION_KEY = "csr_anonymous"


@require_safe
def home(request):
    return render(request, "csr/home.html", {"levels": levels.rules()["levels"]})


def _session(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _attributes(figures: dict) -> dict:
    from decimal import Decimal

    size = sizes.size_class(
        Decimal(figures["employees"]),
        Decimal(figures["turnover"]),
        Decimal(figures["balance_sheet"]),
    )
    return {"size_class": size, "ateco_section": figures["ateco_section"]}


@require_http_methods(["GET", "HEAD", "POST"])
def anonymous(request):
    """Figures first (size and sector), then the grid's nodes that apply; nothing stored."""
    stored = _session(request)
    grid = actions.current_grid()
    template = grid.engine_template()
    figures = AnonymousFigures(
        request.POST if request.POST.get("step") == "figures" else None,
        initial=stored.get("figures"),
    )
    if request.method == "POST" and request.POST.get("step") == "figures":
        if figures.is_valid():
            data = {k: str(v) for k, v in figures.cleaned_data.items()}
            request.session[SESSION_KEY] = {"figures": data, "answers": stored.get("answers", {})}
            return redirect("csr:anonymous")
        return render(request, "csr/anonymous.html", {"figures": figures, "form": None})
    if "figures" not in stored:
        return render(request, "csr/anonymous.html", {"figures": figures, "form": None})
    attributes = _attributes(stored["figures"])
    form = CsrScoringForm(
        template,
        request.POST or None,
        answers=stored.get("answers"),
        attributes=attributes,
        files_allowed=False,
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = {**stored, "answers": form.answers()}
        if request.POST.get("step") == "result":
            return redirect("csr:anonymous_result")
        return redirect("csr:anonymous")
    context = {"figures": figures, "form": form, "parsed": template, "attributes": attributes}
    return render(request, "csr/anonymous.html", context)


def _anonymous_result(request):
    stored = _session(request)
    if "figures" not in stored:
        return None
    grid = actions.current_grid()
    template = grid.engine_template()
    attributes = _attributes(stored["figures"])
    answers = stored.get("answers", {})
    result = scoring.run(template, answers, attributes).as_dict()  # with its trace
    return template, result, answers, attributes


@require_safe
def anonymous_result(request):
    found = _anonymous_result(request)
    if found is None:
        return redirect("csr:anonymous")
    template, result, _answers, attributes = found
    context = report(template, result, label=_("La tua autovalutazione"))
    context["size_class"] = Company.SizeClass(attributes["size_class"]).label
    return render(request, "csr/anonymous_result.html", context)


@require_safe
def anonymous_pdf(request):
    found = _anonymous_result(request)
    if found is None:
        return redirect("csr:anonymous")
    template, result, _answers, attributes = found
    context = report(template, result, label=_("La tua autovalutazione"))
    context["size_class"] = Company.SizeClass(attributes["size_class"]).label
    context["anonymous"] = True
    pdf = render_pdf("csr/pdf/result.html", context, request=request)
    return pdf_response(pdf, "autovalutazione-rsi.pdf")


@require_safe
def anonymous_json(request):
    found = _anonymous_result(request)
    if found is None:
        return redirect("csr:anonymous")
    template, result, answers, attributes = found
    body = json.dumps(as_json(template, result, answers, attributes), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="autovalutazione-rsi.json"'
    return response


@require_POST
def anonymous_clear(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("csr:anonymous")


@require_safe
def attestation_verify(request, code: str):
    """Public check of an attestation: valid, expired or revoked (and nothing private)."""
    attestation = get_object_or_404(
        Attestation.objects.select_related("company__organisation"), code=code
    )
    return render(
        request,
        "csr/attestation_verify.html",
        {
            "attestation": attestation,
            "status": attestation.status,
            "level_label": levels.label(attestation.level, request.LANGUAGE_CODE),
        },
    )


@require_safe
def facilitation_list(request):
    """The facilitations in force, by region; `?format=` downloads the same list."""
    rows = facilitations.in_force().order_by("region__name_it", "required_level", "title_it")
    if tabular.requested(request):
        return tabular.download(request, facilitations.TABLE, rows)
    by_region: dict = {}
    for row in rows:
        by_region.setdefault(row.region, []).append(row)
    context = {
        "by_region": by_region,
        "downloads": tabular.links(request.path, {}),
    }
    return render(request, "csr/facilitation_list.html", context)


@require_safe
def network_page(request):
    """The CSR network: its grids, validated companies by region (disclosure-controlled),
    facilitations by region, prize editions and their winners."""
    from reti.grids.models import GridTemplate

    validated, total = network.validated_by_region()
    grids = GridTemplate.objects.filter(code__in=network.GRIDS, status="published").order_by(
        "code", "-version"
    )
    context = {
        "validated": validated,
        "total": total,
        "threshold": suppression_threshold(),
        "facilitations": network.facilitations_by_region(),
        "grids": grids,
        "editions": network.editions(),
    }
    return render(request, "csr/network.html", context)
