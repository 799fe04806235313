"""The company's pages: register, ask to act for one, self-assess, read the result, plan."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.lib.forms import add_errors
from reti.lib.pdf import pdf_response, render_pdf
from reti.registry.validators import compact_tax_code

from .. import actions, facilitations, levels, permissions
from ..benchmark import benchmark
from ..forms import (
    ClaimForm,
    CompanyForm,
    CsrScoringForm,
    LocalUnitFormSet,
    PlanForm,
    PlanStatusForm,
)
from ..models import Company, CompanyClaim, CsrAssessment, ImprovementAction
from ..qr import qr_data_uri
from ..report import as_json, report
from .common import (
    get_assessment_for_user,
    get_attestation_for_user,
    get_company_for_user,
    get_evidence_for_user,
    require,
)
from .common import report as report_errors


@login_required
@require_safe
def mine(request):
    """The user's companies, claims and the self-assessments of their companies."""
    companies = Company.objects.filter(permissions.represented_companies_q(request.user))
    claims = CompanyClaim.objects.filter(user=request.user).select_related("company")
    return render(request, "csr/mine.html", {"companies": companies, "claims": claims})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_register(request):
    form = CompanyForm(request.POST or None)
    units = LocalUnitFormSet(request.POST or None, prefix="units")
    if request.method == "POST" and form.is_valid() and units.is_valid():
        data = form.cleaned_data
        company = form.save(commit=False)
        local_units = [
            actions.local_unit(row["address"], row["region"])
            for row in units.cleaned_data
            if row.get("address")
        ]
        try:
            actions.register_company(
                request.user,
                name=data["name"],
                vat_number=data["vat_number"],
                company=company,
                legal_representative=data["legal_representative"],
                position=data["position"],
                local_units=local_units,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Impresa registrata. La regione verificherà che tu possa operare per suo conto."),
            )
            return redirect("csr:mine")
    return render(request, "csr/company_register.html", {"form": form, "units": units})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_create(request):
    """Ask to act for a company already registered, found by its P.IVA."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        company = Company.objects.filter(
            organisation__vat_number=compact_tax_code(data["vat_number"])
        ).first()
        if company is None:
            form.add_error("vat_number", _("Nessuna impresa registrata con questa partita IVA."))
        elif not permissions.can_claim(request.user, company):
            form.add_error("vat_number", _("Operi già per questa impresa o hai già chiesto."))
        else:
            try:
                actions.claim_company(
                    request.user, company, data["legal_representative"], data["position"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Richiesta inviata alla regione dell'impresa."))
                return redirect("csr:mine")
    return render(request, "csr/claim_form.html", {"form": form})


@login_required
@require_safe
def company_detail(request, pk: int):
    company = get_company_for_user(request, pk)
    is_rep = permissions.is_representative(request.user, company)
    context = {
        "company": company,
        "is_representative": is_rep,
        "ateco_title": _ateco_title(company.ateco_code),
        "assessments": company.assessments.select_related("assessment") if is_rep else [],
        "attestations": company.attestations.all(),
        "plan": company.plan.all() if is_rep else [],
        "plan_form": PlanForm() if is_rep else None,
        "status_choices": ImprovementAction.Status.choices,
        "can_revoke": permissions.revokes_for(request.user, company),
        "facilitations": facilitations.eligible(company) if is_rep else [],
    }
    return render(request, "csr/company_detail.html", context)


def _ateco_title(code: str) -> str:
    from .. import ateco

    return ateco.title(code)


@login_required
@require_POST
def assessment_start(request, pk: int):
    company = get_company_for_user(request, pk)
    require(permissions.can_assess(request.user, company))
    try:
        csr = actions.start_self_assessment(request.user, company)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("csr:company_detail", company.pk)
    return redirect("csr:assessment_edit", csr.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_edit(request, pk: int):
    """The self-assessment form: save and resume, a PDF per answer, submit."""
    csr = get_assessment_for_user(request, pk)
    if not csr.is_draft:
        return redirect("csr:assessment_detail", csr.pk)
    require(permissions.can_edit(request.user, csr))
    template = csr.assessment.template.engine_template()
    form = CsrScoringForm(
        template,
        request.POST or None,
        request.FILES or None,
        answers=csr.assessment.answers,
        attributes=csr.company.subject_attributes(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_answers(request.user, csr, form.answers(), form.uploads())
            if request.POST.get("step") == "submit":
                actions.submit_self_assessment(request.user, csr)
                messages.success(request, _("Autovalutazione inviata per la validazione."))
                return redirect("csr:assessment_detail", csr.pk)
        except ValidationError as error:
            form.add_problems(error)
        else:
            messages.success(request, _("Bozza salvata: puoi riprendere quando vuoi."))
            return redirect("csr:assessment_edit", csr.pk)
    evidence = {}
    for item in csr.evidence.all():
        evidence.setdefault(item.node, []).append(item)
    context = {"csr": csr, "form": form, "parsed": template, "evidence": evidence}
    return render(request, "csr/assessment_edit.html", context)


def _previous(csr: CsrAssessment):
    return (
        CsrAssessment.objects.filter(
            company=csr.company, year__lt=csr.year, submitted_at__isnull=False
        )
        .select_related("assessment")
        .order_by("-year")
        .first()
    )


def result_context(csr: CsrAssessment) -> dict:
    template = csr.assessment.template.engine_template()
    previous = _previous(csr)
    context = report(
        template,
        csr.assessment.full_result,
        previous=previous.assessment.full_result if previous else None,
        label=str(csr.year),
        previous_label=str(previous.year) if previous else "",
    )
    context["previous"] = previous
    return context


@login_required
@require_safe
def assessment_detail(request, pk: int):
    """The result: areas (radar and table), strengths and gaps, benchmark, plan, validation."""
    csr = get_assessment_for_user(request, pk)
    context = {"csr": csr, "company": csr.company}
    if csr.assessment.result:
        context.update(result_context(csr))
        if permissions.is_representative(request.user, csr.company):
            context["benchmark"] = benchmark(csr.company)
    context["evidence"] = csr.evidence.all()
    context["plan_form"] = PlanForm(initial={"area": (context.get("gaps") or [{}])[0].get("code")})
    context["is_representative"] = permissions.is_representative(request.user, csr.company)
    context["attestation"] = getattr(csr, "attestation", None)
    context["level_label"] = levels.label(csr.level, request.LANGUAGE_CODE) if csr.level else ""
    return render(request, "csr/assessment_detail.html", context)


@login_required
@require_safe
def assessment_pdf(request, pk: int):
    csr = get_assessment_for_user(request, pk)
    if not csr.assessment.result:
        raise Http404
    context = {"csr": csr, "company": csr.company, **result_context(csr)}
    pdf = render_pdf("csr/pdf/result.html", context, request=request)
    return pdf_response(pdf, f"autovalutazione-rsi-{csr.year}.pdf")


@login_required
@require_safe
def assessment_json(request, pk: int):
    csr = get_assessment_for_user(request, pk)
    if not csr.assessment.result:
        raise Http404
    template = csr.assessment.template.engine_template()
    data = as_json(
        template,
        csr.assessment.full_result,
        csr.assessment.answers,
        csr.assessment.subject_attributes,
    )
    data["company"] = {"name": csr.company.name, "year": csr.year, "state": csr.state}
    body = json.dumps(data, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="autovalutazione-rsi-{csr.year}.json"'
    return response


@login_required
@require_safe
def evidence_download(request, pk: int):
    evidence = get_evidence_for_user(request, pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type="application/pdf",
    )


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence = get_evidence_for_user(request, pk)
    csr = evidence.csr_assessment
    require(permissions.can_edit(request.user, csr))
    actions.remove_evidence(request.user, evidence)
    messages.success(request, _("Evidenza rimossa."))
    return redirect("csr:assessment_edit", csr.pk)


@login_required
@require_POST
def plan_add(request, pk: int):
    company = get_company_for_user(request, pk)
    require(permissions.can_manage_plan(request.user, company))
    form = PlanForm(request.POST)
    if form.is_valid():
        action = form.save(commit=False)
        latest = company.assessments.exclude(state=CsrAssessment.State.DRAFT).first()
        action.csr_assessment = latest
        try:
            actions.add_plan_action(request.user, company, action)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Azione aggiunta al piano di miglioramento."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("csr:company_detail", company.pk)


@login_required
@require_POST
def plan_status(request, pk: int):
    action = get_object_or_404(ImprovementAction.objects.select_related("company"), pk=pk)
    if not permissions.can_manage_plan(request.user, action.company):
        raise Http404
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        actions.set_plan_status(request.user, action, form.cleaned_data["status"])
        messages.success(request, _("Stato dell'azione aggiornato."))
    return redirect("csr:company_detail", action.company_id)


@login_required
@require_safe
def attestation_pdf(request, pk: int):
    attestation = get_attestation_for_user(request, pk)
    url = request.build_absolute_uri(attestation.get_absolute_url())
    context = {
        "attestation": attestation,
        "company": attestation.company,
        "level_label": levels.label(attestation.level, request.LANGUAGE_CODE),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }
    pdf = render_pdf("csr/pdf/attestation.html", context, request=request)
    return pdf_response(pdf, f"attestazione-rsi-{attestation.code}.pdf")
