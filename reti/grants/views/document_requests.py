"""The soccorso istruttorio on the applicant's side: the answer, and the answer's document.

A request is seen by the applicant's representatives and the call's officers only (404 for
anyone else): it is found through the application, with the application's own check.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import actions, permissions
from ..forms import DocumentAnswerForm
from ..models import DocumentRequest
from .common import get_application_for_user


def _request_for_user(request, pk: int) -> DocumentRequest:
    found = get_object_or_404(DocumentRequest.objects.select_related("application"), pk=pk)
    get_application_for_user(request, found.application_id)  # 404 if not theirs
    if not permissions.can_view_document_request(request.user, found):
        raise Http404
    return found


@login_required
@require_POST
def document_request_answer(request, pk: int):
    """The applicant answers a request, with a text and/or a PDF, before its deadline."""
    asked = _request_for_user(request, pk)
    form = DocumentAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("grants:application_detail", asked.application_id)
    try:
        actions.answer_document_request(
            request.user, asked, form.cleaned_data["answer_text"], form.cleaned_data["answer_file"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Risposta registrata e inviata all'organismo intermedio."))
    return redirect("grants:application_detail", asked.application_id)


@login_required
@require_safe
def document_request_file(request, pk: int):
    """The PDF of an answer, for the applicant's representatives and the call's officers."""
    asked = _request_for_user(request, pk)
    if not asked.answer_file:
        raise Http404
    try:
        handle = asked.answer_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=asked.answer_name, content_type="application/pdf"
    )
