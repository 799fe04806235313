"""The evaluator's pages: my assignments, the declaration, the scoring form, the sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.lib.forms import add_errors

from .. import actions, permissions, queries
from ..forms import DeclarationForm, ReasonForm, ScoringForm
from ..models import GridTemplate
from ..sheet import sheet_context
from .common import (
    get_assessment_for_user,
    get_assignment_for_evaluator,
    report,
    report_form,
    require,
)


@login_required
@require_safe
def my_assignments(request):
    rows = queries.assignments_of(request.user)
    return render(request, "grids/my_assignments.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def declare(request, pk: int):
    assignment = get_assignment_for_evaluator(request, pk)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.declare_conflict(
                request.user, assignment, data["has_conflict"], data["kinds"], data["description"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Dichiarazione registrata."))
            if data["has_conflict"]:
                return redirect("grids:my_assignments")
            return redirect("grids:score", assignment.pk)
    return render(request, "grids/declare.html", {"assignment": assignment, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def score(request, pk: int):
    """The scoring form: the rubric beside each criterion; save a draft or submit."""
    assignment = get_assignment_for_evaluator(request, pk)
    require(permissions.can_score(request.user, assignment))
    declared = request.user.grid_declarations.filter(
        committee=assignment.committee, **assignment.same_subject()
    ).exists()
    if not declared:
        return redirect("grids:declare", assignment.pk)
    try:
        assessment = actions.start_assessment(request.user, assignment)
    except ValidationError as error:
        report(request, error)
        return redirect("grids:my_assignments")
    if assessment.is_submitted:
        return redirect("grids:assessment_sheet", assessment.pk)
    template = assessment.template.engine_template()
    form = ScoringForm(
        template,
        request.POST or None,
        answers=assessment.answers,
        attributes=assessment.subject_attributes,
    )
    if request.method == "POST":
        autosave = request.headers.get("X-Autosave") == "1"
        if not form.is_valid():
            if autosave:
                return JsonResponse({"saved": False, "errors": form.errors}, status=400)
        else:
            try:
                actions.save_draft(request.user, assessment, form.answers(), form.attributes())
                if autosave:
                    return JsonResponse({"saved": True})
                if request.POST.get("step") == "submit":
                    actions.submit_assessment(request.user, assessment)
                    messages.success(request, _("Valutazione inviata."))
                    return redirect("grids:assessment_sheet", assessment.pk)
            except ValidationError as error:
                form.add_problems(error)
            else:
                messages.success(request, _("Bozza salvata."))
                return redirect("grids:score", assignment.pk)
    return render(
        request,
        "grids/score.html",
        {"assignment": assignment, "assessment": assessment, "form": form, "parsed": template},
    )


@login_required
@require_safe
def assessment_sheet(request, pk: int):
    """The evaluation sheet (scheda di valutazione) of one assessment, with the trace."""
    assessment = get_assessment_for_user(request, pk)
    context = sheet_context(assessment)
    context["can_reopen"] = permissions.can_reopen(request.user, assessment)
    context["can_reproject"] = permissions.can_reproject(request.user, assessment)
    context["newer"] = GridTemplate.objects.filter(
        code=assessment.template.code,
        version__gt=assessment.template.version,
        status=GridTemplate.Status.PUBLISHED,
    ).first()
    context["reason_form"] = ReasonForm()
    return render(request, "grids/assessment_sheet.html", context)


@login_required
@require_POST
def assessment_reopen(request, pk: int):
    assessment = get_assessment_for_user(request, pk)
    require(permissions.can_reopen(request.user, assessment))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        report_form(request, form)
        return redirect("grids:assessment_sheet", pk)
    try:
        actions.reopen_assessment(request.user, assessment, form.cleaned_data["reason"])
    except ValidationError as error:
        report(request, error)
        return redirect("grids:assessment_sheet", pk)
    messages.success(request, _("Valutazione riaperta: il valutatore può correggerla."))
    return redirect("grids:committee_detail", assessment.committee_id)


@login_required
@require_POST
def assessment_reproject(request, pk: int):
    assessment = get_assessment_for_user(request, pk)
    require(permissions.can_reproject(request.user, assessment))
    form = ReasonForm(request.POST)
    target = GridTemplate.objects.filter(
        code=assessment.template.code,
        version__gt=assessment.template.version,
        status=GridTemplate.Status.PUBLISHED,
    ).first()
    if not form.is_valid() or target is None:
        report_form(request, form)
        return redirect("grids:assessment_sheet", pk)
    try:
        copy = actions.reproject_assessment(
            request.user, assessment, target, form.cleaned_data["reason"]
        )
    except ValidationError as error:
        report(request, error)
        return redirect("grids:assessment_sheet", pk)
    messages.success(request, _("Nuova bozza sulla versione %(v)s.") % {"v": target.version})
    return redirect("grids:assessment_sheet", copy.pk)
