"""The applicant's pages: the claim, my applications, the form with autosave, submission,
withdrawal, attachments and the receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.identity.views import level_required
from reti.lib.forms import add_errors
from reti.registry.models import Organisation

from .. import actions, checks, clock, permissions
from ..forms import (
    ApplicationForm,
    AttachmentForm,
    ClaimForm,
    DocumentAnswerForm,
    NewApplicationForm,
    row_formsets,
    rows_of,
)
from ..models import (
    Admissibility,
    Application,
    ApplicationAttachment,
    DocumentRequest,
    RepresentationClaim,
)
from .common import get_application_for_user, get_call_for_user, report
from .rankings import outcome_context


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claims(request):
    """The user's claims to represent organisations, and the form of a new one."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.claim_organisation(request.user, form.instance)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Richiesta inviata: l'organismo intermedio la verificherà.")
            )
            return redirect("grants:claims")
    mine = RepresentationClaim.objects.filter(user=request.user).select_related("organisation")
    return render(request, "grants/claims.html", {"form": form, "claims": mine})


@login_required
@require_safe
def application_mine(request):
    """The applications of the organisations the user represents."""
    organisations = permissions.applicant_organisation_ids(request.user)
    applications = (
        Application.objects.filter(organisation_id__in=organisations)
        .select_related("call", "organisation", "receipt")
        .order_by("-created_at")
    )
    return render(request, "grants/application_mine.html", {"applications": applications})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@level_required(2)
def application_create(request, code: str):
    call = get_call_for_user(request, code)
    organisations = Organisation.objects.filter(
        pk__in=permissions.applicant_organisation_ids(request.user)
    )
    if not organisations.exists():
        messages.info(request, _("Per presentare domanda, chiedi prima di rappresentare un ente."))
        return redirect("grants:claims")
    form = NewApplicationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = actions.create_application(
                request.user, call, form.cleaned_data["organisation"], form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("grants:application_edit", application.pk)
    return render(request, "grants/application_create.html", {"call": call, "form": form})


def _add_row_errors(formsets, error: ValidationError, form) -> None:
    """Put `<related>.<n>.<field>` errors of the action on the row's field; others on the form."""
    for key, messages_ in error.message_dict.items():
        related, _dot, rest = key.partition(".")
        index, _dot, field = rest.partition(".")
        formset = formsets.get(related)
        if formset is not None and index.isdigit():
            rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            row = rows[int(index)] if int(index) < len(rows) else None
            if row is not None:
                row.add_error(field if field in row.fields else None, messages_)
                continue
        form.add_error(key if key in form.fields else None, messages_)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@level_required(2)
def application_edit(request, pk: int):
    """The application form: sections, budget with totals, partners, indicators; autosave."""
    application = get_application_for_user(request, pk)
    if not application.is_draft:
        if request.method == "POST" and hasattr(application, "receipt"):
            return redirect("grants:receipt", application.pk)  # a repeated submission
        return redirect("grants:application_detail", application.pk)
    if not permissions.can_edit_application(request.user, application):
        # The applicant's draft once the call no longer accepts applications: read-only.
        return redirect("grants:application_detail", application.pk)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application, call=application.call)
    formsets = row_formsets(application, data)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        valid = form.is_valid() and all(f.is_valid() for f in formsets.values())
        if valid:
            try:
                actions.save_application(
                    request.user,
                    form.instance,
                    **{related: rows_of(fs) for related, fs in formsets.items()},
                )
            except ValidationError as error:
                _add_row_errors(formsets, error, form)
            else:
                if autosave:
                    return JsonResponse({"saved": True})
                if request.POST.get("step") == "submit":
                    return _submit(request, application)
                messages.success(request, _("Bozza salvata."))
                return redirect("grants:application_edit", application.pk)
        if autosave:
            errors = dict(form.errors)
            for related, formset in formsets.items():
                for index, row in enumerate(formset.forms):
                    for field, errs in row.errors.items():
                        errors[f"{related}.{index}.{field}"] = errs
            return JsonResponse({"saved": False, "errors": errors}, status=400)
        application = Application.objects.get(pk=application.pk)
    context = _form_context(application, form, formsets)
    context["invalid"] = bool(form.errors) or any(
        not fs.is_valid() for fs in formsets.values() if fs.is_bound
    )
    return render(request, "grants/application_form.html", context)


def _form_context(application, form, formsets) -> dict:
    stored = Application.objects.select_related("call").get(pk=application.pk)
    return {
        "application": stored,
        "call": stored.call,
        "form": form,
        "formsets": formsets,
        "totals": checks.budget_totals(stored),
        "problems": _labelled(checks.problems(stored)),
        "attachments": stored.attachments.select_related("required"),
        "attachment_form": AttachmentForm(call=stored.call),
        "deadline": timezone.localtime(stored.call.deadline),
    }


def _labelled(problems: dict) -> list[tuple[str, str, list[str]]]:
    """(field, label, messages) so the page names each field and links to it."""
    labels = {f.name: f.verbose_name for f in Application._meta.fields}
    extra = {
        "budget": _("Piano finanziario"),
        "partners": _("Partner"),
        "attachments": _("Allegati"),
        "deadline": _("Scadenza"),
    }
    return [
        (field, str(labels.get(field) or extra.get(field) or field), msgs)
        for field, msgs in problems.items()
    ]


def _submit(request, application):
    try:
        receipt = actions.submit_application(request.user, application)
    except ValidationError as error:
        messages.error(request, _("La domanda non è stata presentata: correggi i punti indicati."))
        if "deadline" in error.message_dict:
            report(request, error)
        return redirect("grants:application_edit", application.pk)
    messages.success(
        request,
        _("Domanda presentata: protocollo %(number)s.") % {"number": receipt.protocol_number},
    )
    return redirect("grants:receipt", application.pk)


@login_required
@require_POST
@level_required(2)
def application_submit(request, pk: int):
    """Submit without editing; submitting again answers the same receipt, not a duplicate."""
    return _submit(request, get_application_for_user(request, pk))


@login_required
@require_POST
@level_required(2)
def application_withdraw(request, pk: int):
    application = get_application_for_user(request, pk)
    actions.withdraw_application(request.user, application)
    messages.success(request, _("Domanda ritirata."))
    return redirect("grants:application_detail", application.pk)


@login_required
@require_safe
def application_detail(request, pk: int):
    """A submitted or withdrawn application, read-only (a draft opens its form)."""
    application = get_application_for_user(request, pk)
    if application.is_draft and permissions.can_edit_application(request.user, application):
        return redirect("grants:application_edit", application.pk)
    context = {
        "application": application,
        "call": application.call,
        "totals": checks.budget_totals(application),
        "budget_items": application.budget_items.select_related("category"),
        "partners": application.partners.select_related("organisation"),
        "targets": application.indicator_targets.all(),
        "attachments": application.attachments.select_related("required"),
        "receipt": getattr(application, "receipt", None),
        "can_withdraw": permissions.can_withdraw_application(request.user, application),
        "grant": _visible_grant(request.user, application),
        "can_decide": permissions.can_decide_funding(
            request.user, application, actions.current_entry(application)
        ),
        **outcome_context(request.user, application),
        **_admissibility_context(request, application),
    }
    return render(request, "grants/application_detail.html", context)


def _visible_grant(user, application):
    grant = getattr(application, "grant", None)
    return grant if grant is not None and permissions.can_view_grant(user, grant) else None


def _admissibility_context(request, application) -> dict:
    """The outcome once decided and the soccorso istruttorio's requests, with the answer form
    for each open one (for the applicant's representatives)."""
    now = clock.now()
    admissibility = Admissibility.objects.filter(application=application).first()
    requests = DocumentRequest.objects.filter(application=application).order_by("asked_at", "pk")
    return {
        "admissibility": admissibility
        if admissibility and admissibility.outcome != Admissibility.Outcome.PENDING
        else None,
        "document_requests": [
            (
                asked,
                asked.state(now),
                asked.state_label(now),
                permissions.can_answer_document_request(request.user, asked)
                and asked.state(now) == DocumentRequest.Status.OPEN,
            )
            for asked in requests
        ],
        "answer_form": DocumentAnswerForm(),
        "can_review": permissions.can_view_review(request.user, application),
    }


@login_required
@require_POST
@level_required(2)
def attachment_upload(request, pk: int):
    application = get_application_for_user(request, pk)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES, call=application.call)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("grants:application_edit", application.pk)
    try:
        actions.add_attachment(
            request.user, application, form.cleaned_data["file"], form.cleaned_data["required"]
        )
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Allegato caricato."))
    return redirect("grants:application_edit", application.pk)


def _attachment_for_user(request, pk: int) -> ApplicationAttachment:
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related("application"), pk=pk
    )
    get_application_for_user(request, attachment.application_id)  # 404 if not theirs
    return attachment


@login_required
@require_POST
@level_required(2)
def attachment_remove(request, pk: int):
    attachment = _attachment_for_user(request, pk)
    actions.remove_attachment(request.user, attachment)
    messages.success(request, _("Allegato rimosso."))
    return redirect("grants:application_edit", attachment.application_id)


@login_required
@require_safe
def attachment_download(request, pk: int):
    attachment = _attachment_for_user(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )


def _receipt_context(request, pk: int) -> dict:
    application = get_application_for_user(request, pk)
    receipt = getattr(application, "receipt", None)
    if receipt is None:
        raise Http404
    return {
        "application": application,
        "receipt": receipt,
        "submitted_at": timezone.localtime(receipt.submitted_at),
    }


@login_required
@require_safe
def receipt(request, pk: int):
    """The receipt (ricevuta): protocol number, server time, SHA-256 fingerprints."""
    return render(request, "grants/receipt.html", _receipt_context(request, pk))


@login_required
@require_safe
def receipt_download(request, pk: int):
    """The receipt as a stand-alone HTML document to keep or print."""
    context = _receipt_context(request, pk)
    body = render_to_string("grants/receipt_document.html", context, request=request)
    number = context["receipt"].protocol_number.replace("/", "-")
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ricevuta-{number}.html"'
    return response
