"""Authors' pages: create and edit a practice, attach files, submit; their practices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reti.lib.forms import add_errors
from reti.registry.permissions import editable_organisation_ids, is_registry_staff

from .. import actions, permissions
from ..forms import AttachmentForm, PracticeForm, part_errors, part_formsets
from ..models import Attachment, GoodPractice
from .common import get_practice_for_user


@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request):
    if not (is_registry_staff(request.user) or editable_organisation_ids(request.user)):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        practice, m2m = form.practice()
        try:
            actions.create_practice(request.user, practice, m2m=m2m)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Bozza salvata. Ora puoi aggiungere gli allegati."))
            return redirect("knowledge:practice_edit", practice.pk)
    return render(request, "knowledge/practice_form.html", {"form": form, "practice": None})


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk: int):
    practice = get_practice_for_user(request, pk)
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, instance=practice, user=request.user)
    if request.method == "POST" and form.is_valid():
        practice, m2m = form.practice()
        try:
            actions.update_practice(request.user, practice, m2m=m2m)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Modifiche salvate."))
            return redirect("knowledge:practice_edit", practice.pk)
    context = {
        "form": form,
        "practice": practice,
        # The extracted text (up to a million characters each) is never shown on a page.
        "attachments": list(practice.attachments.defer("extracted_text")),
        "attachment_form": AttachmentForm(),
        "can_submit": permissions.can_submit(request.user, practice),
    }
    return render(request, "knowledge/practice_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def practice_parts(request, pk: int):
    """Results (quantified, with their evidence), hand-typed contacts and links of a practice."""
    practice = get_practice_for_user(request, pk)
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    formsets = part_formsets(practice, request.POST if request.method == "POST" else None)
    errors = []
    if request.method == "POST":
        if all(formset.is_valid() for formset in formsets.values()):
            changes = {}
            for related, formset in formsets.items():
                saved = formset.save(commit=False)
                changes[related] = (saved, formset.deleted_objects)
            try:
                actions.save_practice_parts(request.user, practice, changes)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Risultati, contatti e collegamenti salvati."))
                return redirect("knowledge:practice_parts", practice.pk)
        else:
            errors = part_errors(formsets)
    context = {
        "practice": practice,
        "formsets": formsets,
        "errors": errors,
        "registry_contacts": list(
            practice.contacts.filter(person__isnull=False).select_related("person")
        ),
    }
    return render(request, "knowledge/practice_parts.html", context, status=400 if errors else 200)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    practice = get_practice_for_user(request, pk)
    # Refused before the form is read: someone who may only see the draft learns nothing more.
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(
                request.user, practice, form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Allegato caricato: il testo sarà estratto a breve."))
    return redirect("knowledge:practice_edit", practice.pk)


@login_required
@require_POST
def attachment_remove(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("practice"), pk=pk)
    actions.remove_attachment(request.user, attachment)
    messages.success(request, _("Allegato rimosso."))
    return redirect("knowledge:practice_edit", attachment.practice_id)


@login_required
@require_POST
def practice_submit(request, pk: int):
    practice = get_practice_for_user(request, pk)
    try:
        actions.submit_practice(request.user, practice)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("knowledge:practice_edit", practice.pk)
    messages.success(request, _("Pratica inviata al segretariato della rete per la validazione."))
    return redirect("knowledge:practice_detail", practice.pk)


@login_required
def practice_mine(request):
    orgs = editable_organisation_ids(request.user)
    practices = (
        GoodPractice.objects.filter(lead_organisation_id__in=orgs)
        .select_related("lead_organisation", "network")
        .order_by("-id")[:200]
    )
    return render(request, "knowledge/practice_mine.html", {"practices": practices})
