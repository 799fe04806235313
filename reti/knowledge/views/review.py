"""The network secretariat's pages: the queue, validate, send back, publish, archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import actions, permissions
from ..forms import SendBackForm, ValidateForm
from ..models import GoodPractice
from .common import get_practice_for_user


@login_required
@require_safe
def review_queue(request):
    waiting = permissions.reviewable_practices_q(request.user)
    if waiting is None:
        raise PermissionDenied
    practices = (
        GoodPractice.objects.filter(waiting)
        .select_related("lead_organisation", "network")
        .order_by("submitted_at", "id")[:200]
    )
    return render(request, "knowledge/review_queue.html", {"practices": practices})


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _report_form(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_POST
def practice_validate(request, pk: int):
    practice = get_practice_for_user(request, pk)
    if not permissions.can_review(request.user, practice):
        raise PermissionDenied
    form = ValidateForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return redirect("knowledge:practice_detail", practice.pk)
    try:
        actions.validate_practice(request.user, practice, form.cleaned_data["comment"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Pratica validata. Ora può essere pubblicata."))
    return redirect("knowledge:practice_detail", practice.pk)


@login_required
@require_POST
def practice_send_back(request, pk: int):
    practice = get_practice_for_user(request, pk)
    if not permissions.can_send_back(request.user, practice):
        raise PermissionDenied
    form = SendBackForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return redirect("knowledge:practice_detail", practice.pk)
    try:
        actions.send_back_practice(request.user, practice, form.cleaned_data["reasons"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Pratica rinviata all'autore con i motivi indicati."))
    return redirect("knowledge:practice_detail", practice.pk)


@login_required
@require_POST
def practice_publish(request, pk: int):
    practice = get_practice_for_user(request, pk)
    actions.publish_practice(request.user, practice)
    messages.success(request, _("Pratica pubblicata: ora è pubblica e si trova con la ricerca."))
    return redirect("knowledge:practice_detail", practice.pk)


@login_required
@require_POST
def practice_archive(request, pk: int):
    practice = get_practice_for_user(request, pk)
    actions.archive_practice(request.user, practice)
    messages.success(request, _("Pratica archiviata."))
    return redirect("knowledge:practice_detail", practice.pk)
