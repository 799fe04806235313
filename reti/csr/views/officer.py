"""The region officer's pages: claims to verify, the region's companies, revocations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from reti.accounts.permissions import is_registry_staff

from .. import actions, permissions
from ..forms import ReasonForm
from ..models import Attestation, Company, CompanyClaim
from .common import report


def _officer(request) -> None:
    if not (permissions.officer_region_ids(request.user) or is_registry_staff(request.user)):
        raise Http404


@login_required
@require_safe
def region(request):
    """Pending claims and the companies of the officer's regions (staff: every region)."""
    _officer(request)
    claims = CompanyClaim.objects.filter(permissions.decidable_claims_q(request.user))
    companies = Company.objects.select_related("organisation", "region")
    if not is_registry_staff(request.user):
        companies = companies.filter(region_id__in=permissions.officer_region_ids(request.user))
    context = {
        "claims": claims.select_related("user", "company__organisation"),
        "companies": companies,
        "reason_form": ReasonForm(),
    }
    return render(request, "csr/region.html", context)


def _claim(request, pk: int) -> CompanyClaim:
    claim = get_object_or_404(CompanyClaim.objects.select_related("company"), pk=pk)
    if not permissions.can_decide_claim(request.user, claim):
        raise Http404
    return claim


@login_required
@require_POST
def claim_verify(request, pk: int):
    claim = _claim(request, pk)
    actions.verify_claim(request.user, claim)
    messages.success(request, _("Abilitazione verificata."))
    return redirect("csr:region")


@login_required
@require_POST
def claim_refuse(request, pk: int):
    claim = _claim(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Indicare il motivo del rifiuto."))
        actions.refuse_claim(request.user, claim, form.cleaned_data["reason"])
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Abilitazione respinta."))
    return redirect("csr:region")


@login_required
@require_POST
def attestation_revoke(request, pk: int):
    attestation = get_object_or_404(Attestation.objects.select_related("company"), pk=pk)
    if not (
        permissions.is_region_officer(request.user, attestation.company)
        or is_registry_staff(request.user)
    ):
        raise Http404
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Indicare il motivo della revoca."))
        actions.revoke_attestation(request.user, attestation, form.cleaned_data["reason"])
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Attestazione revocata."))
    return redirect("csr:company_detail", attestation.company_id)
