"""Helpers of the CSR pages: load-or-404 by audience, messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Attestation, Company, CsrAssessment, Evidence


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def get_company_for_user(request, pk: int) -> Company:
    company = get_object_or_404(Company.objects.select_related("organisation", "region"), pk=pk)
    if not permissions.can_view_company(request.user, company):
        raise Http404
    return company


def get_assessment_for_user(request, pk: int) -> CsrAssessment:
    """The self-assessment if the user may read its answers (company or validator); else 404."""
    csr = get_object_or_404(
        CsrAssessment.objects.select_related(
            "company__organisation", "assessment__template", "review__template", "validator"
        ),
        pk=pk,
    )
    if not permissions.can_view_answers(request.user, csr):
        raise Http404
    return csr


def get_evidence_for_user(request, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("csr_assessment__company"), pk=pk)
    if not permissions.can_view_answers(request.user, evidence.csr_assessment):
        raise Http404
    return evidence


def get_attestation_for_user(request, pk: int) -> Attestation:
    attestation = get_object_or_404(
        Attestation.objects.select_related("company__organisation", "csr_assessment"), pk=pk
    )
    if not permissions.can_download_attestation(request.user, attestation):
        raise Http404
    return attestation
