"""The expert's pages: the region's queue, taking one (conflicts checked), the review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import actions, permissions
from ..forms import CsrScoringForm, DecisionForm
from ..models import CsrAssessment
from .common import get_assessment_for_user, report, require

State = CsrAssessment.State


@login_required
@require_safe
def queue(request):
    """Submitted self-assessments of the expert's regions (names and dates, no answers)."""
    regions = permissions.expert_region_ids(request.user)
    if not regions:
        raise Http404
    rows = (
        CsrAssessment.objects.filter(company__region_id__in=regions)
        .exclude(state=State.DRAFT)
        .select_related("company__organisation", "company__region")
        .order_by("state", "submitted_at")
    )
    mine = [row for row in rows if row.validator_id == request.user.pk]
    waiting = [row for row in rows if row.state == State.SUBMITTED and row.validator_id is None]
    return render(request, "csr/validation_queue.html", {"mine": mine, "waiting": waiting})


@login_required
@require_POST
def take(request, pk: int):
    csr = get_object_or_404(CsrAssessment.objects.select_related("company"), pk=pk)
    if not permissions.is_expert_for(request.user, csr.company):
        raise Http404
    require(permissions.can_take(request.user, csr))
    try:
        actions.take_for_validation(request.user, csr)
    except ValidationError as error:
        messages.error(request, _("Conflitto di interessi: non puoi validare questa impresa."))
        report(request, error)
        return redirect("csr:validation_queue")
    return redirect("csr:validation_review", csr.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, pk: int):
    """The validator's copy of the answers beside the company's, the evidence, the decision."""
    csr = get_assessment_for_user(request, pk)
    require(permissions.can_validate(request.user, csr))
    template = csr.review.template.engine_template()
    form = CsrScoringForm(
        template,
        request.POST or None,
        answers=csr.review.answers,
        attributes=csr.review.subject_attributes,
        files_allowed=False,
    )
    decision = DecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_review(request.user, csr, form.answers())
            if request.POST.get("step") == "decide":
                if decision.is_valid():
                    data = decision.cleaned_data
                    actions.decide(request.user, csr, validate=data["decision"], note=data["note"])
                    messages.success(request, _("Decisione registrata."))
                    return redirect("csr:assessment_detail", csr.pk)
            else:
                messages.success(request, _("Revisione salvata."))
                return redirect("csr:validation_review", csr.pk)
        except ValidationError as error:
            form.add_problems(error)
    evidence = {}
    for item in csr.evidence.all():
        evidence.setdefault(item.node, []).append(item)
    context = {
        "csr": csr,
        "form": form,
        "decision": decision,
        "parsed": template,
        "own": csr.assessment.answers,
        "evidence": evidence,
    }
    return render(request, "csr/validation_review.html", context)
