"""Helpers shared by the grants pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Application, Call


def get_call_for_user(request, code: str) -> Call:
    """The call if the user may see it; 404 otherwise (a draft call stays private)."""
    call = get_object_or_404(Call.objects.select_related("global_grant"), code=code)
    if not permissions.can_view_call(request.user, call):
        raise Http404
    return call


def get_application_for_user(request, pk: int) -> Application:
    """The application if the user may see it; 404 otherwise (a draft's existence stays
    private, to officers as well)."""
    application = get_object_or_404(
        Application.objects.select_related(
            "call__global_grant", "organisation", "line", "territory"
        ),
        pk=pk,
    )
    if not permissions.can_view_application(request.user, application):
        raise Http404
    return application


def report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
