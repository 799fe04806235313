"""Helpers shared by the grids pages: load-or-404 by audience, messages, the sheet's data."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Assessment, Assignment, Committee, GridTemplate


def get_template_for_user(request, code: str, version: int) -> GridTemplate:
    template = get_object_or_404(GridTemplate, code=code, version=version)
    if not permissions.can_view_template(request.user, template):
        raise Http404
    return template


def get_assignment_for_evaluator(request, pk: int) -> Assignment:
    """The user's own assignment; anyone else's is not found."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("committee__template", "subject_type"), pk=pk
    )
    if assignment.evaluator_id != request.user.pk:
        raise Http404
    return assignment


def get_assessment_for_user(request, pk: int) -> Assessment:
    """The assessment if the user may read it (blind rules in permissions); 404 otherwise."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("template", "committee", "evaluator", "subject_type"),
        pk=pk,
    )
    if not permissions.can_view_assessment(request.user, assessment):
        raise Http404
    return assessment


def get_committee_for_user(request, pk: int) -> Committee:
    committee = get_object_or_404(Committee.objects.select_related("template"), pk=pk)
    if not permissions.can_view_committee(request.user, committee):
        raise Http404
    return committee


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def report_form(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
