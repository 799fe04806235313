"""The pages of a funded grant, for its beneficiary, the intermediate body's officer,
manager and accounting, and auditors: one page per grant with the forms each may use, one
view per action, documents (agreement PDF, expense documents, everything as one ZIP)."""

import datetime
import hashlib
import json
import zipfile
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.identity.views import level_required
from reti.lib import pdf
from reti.lib.forms import add_errors

from .. import actions, permissions
from ..forms import (
    AgreementForm,
    ChangeForm,
    DecideChangeForm,
    DecisionForm,
    DocumentForm,
    ExpenseItemForm,
    PaymentForm,
    ReasonForm,
    RecoveryForm,
    ReferenceForm,
    RevokeForm,
    SampleForm,
)
from ..models import (
    ChangeRequest,
    ExpenditureReport,
    ExpenseDocument,
    ExpenseItem,
    Grant,
    Payment,
    Revocation,
    Verification,
    grant_state,
)
from .common import get_application_for_user, get_call_for_user, report


def get_grant_for_user(request, pk: int) -> Grant:
    """The grant if the user may see it; 404 otherwise."""
    grant = get_object_or_404(
        Grant.objects.select_related(
            "application__call__global_grant__intermediate_body",
            "application__organisation",
            "project",
            "intervention",
        ),
        pk=pk,
    )
    if not permissions.can_view_grant(request.user, grant):
        raise Http404
    return grant


def _back(grant_id: int, anchor: str = ""):
    response = redirect("grants:grant_detail", grant_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _allowed(allowed: bool) -> None:
    """Refuse before reading the form (the action checks again, under its lock)."""
    if not allowed:
        raise PermissionDenied


def _run(request, grant_id: int, anchor: str, call, success: str):
    """Run one action; its refusal's messages are shown on the grant's page."""
    try:
        call()
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, success)
    return _back(grant_id, anchor)


@login_required
@require_safe
def grant_list(request):
    """The grants the user may see: their organisation's, their body's, all for auditors."""
    grants = (
        Grant.objects.filter(permissions.visible_grants_q(request.user))
        .select_related("application__organisation", "application__call")
        .distinct()
    )
    return render(request, "grants/management/grant_list.html", {"grants": grants})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def grant_decide(request, pk: int):
    """The officer records the funding decision of an application the ranking funds."""
    application = get_application_for_user(request, pk)
    entry = actions.current_entry(application)
    if not permissions.can_decide_funding(request.user, application, entry):
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = actions.decide_funding(request.user, application, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Concessione registrata."))
            return redirect("grants:grant_detail", grant.pk)
    return render(
        request,
        "grants/management/grant_decide.html",
        {"application": application, "entry": entry, "form": form, "call": application.call},
    )


@login_required
@require_safe
def grant_detail(request, pk: int):
    grant = get_grant_for_user(request, pk)
    user = request.user
    call = grant.application.call
    payments = list(grant.payments.select_related("prepared_by", "approved_by", "paid_by"))
    for payment in payments:
        payment.can_approve = permissions.can_approve_payment(user, payment)
        payment.can_pay = permissions.can_pay_payment(user, payment)
        payment.can_reverse = permissions.can_reverse_payment(user, payment) and not any(
            p.reverses_id == payment.pk for p in payments
        )
    changes = list(grant.changes.select_related("from_category", "to_category"))
    for change in changes:
        change.can_decide = permissions.can_decide_change(user, change)
    revocations = list(grant.revocations.prefetch_related("recoveries"))
    targets = list(grant.application.indicator_targets.all())
    context = {
        "grant": grant,
        "call": call,
        "application": grant.application,
        "state": grant_state(grant),
        "payments": payments,
        "reports": grant.reports.all(),
        "changes": changes,
        "revocations": revocations,
        "results": grant.results.all(),
        "targets": targets,
        "budgets": _budgets(grant),
        "can": {
            "agreement": permissions.can_generate_agreement(user, grant),
            "accept": permissions.can_accept_agreement(user, grant),
            "pay": permissions.can_prepare_payment(user, grant),
            "report": permissions.can_create_report(user, grant),
            "change": permissions.can_request_change(user, grant),
            "renounce": permissions.can_renounce(user, grant),
            "revoke": permissions.can_revoke(user, grant),
            "recover": permissions.is_accounting(user, grant),
            "close": permissions.can_close(user, grant),
        },
        "agreement_form": AgreementForm(
            initial={"start_date": grant.start_date, "end_date": grant.end_date}
        ),
        "payment_form": PaymentForm(),
        "reference_form": ReferenceForm(),
        "reason_form": ReasonForm(),
        "change_form": ChangeForm(call=call),
        "decide_change_form": DecideChangeForm(),
        "revoke_form": RevokeForm(),
        "recovery_form": RecoveryForm(),
    }
    return render(request, "grants/management/grant_detail.html", context)


def _budgets(grant: Grant):
    categories = {c.pk: c for c in grant.application.call.cost_categories.all()}
    return [
        (categories[pk], amount)
        for pk, amount in sorted(actions.category_budgets(grant).items())
        if pk in categories
    ]


# --- agreement -----------------------------------------------------------------------------


@login_required
@require_POST
def agreement_generate(request, pk: int):
    grant = get_grant_for_user(request, pk)
    _allowed(permissions.can_generate_agreement(request.user, grant))
    form = AgreementForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(grant.pk, "agreement")
    return _run(
        request,
        grant.pk,
        "agreement",
        lambda: actions.generate_agreement(request.user, grant, **form.cleaned_data),
        _("Convenzione generata."),
    )


@login_required
@require_POST
def agreement_accept(request, pk: int):
    grant = get_grant_for_user(request, pk)
    return _run(
        request,
        grant.pk,
        "agreement",
        lambda: actions.accept_agreement(request.user, grant),
        _("Convenzione accettata: il progetto è avviato."),
    )


def _agreement_pdf(grant: Grant) -> bytes:
    return pdf.render_pdf(
        "grants/management/agreement_pdf.html",
        {
            "grant": grant,
            "accepted_at": grant.accepted_at and timezone.localtime(grant.accepted_at),
        },
    )


@login_required
@require_safe
def agreement_pdf(request, pk: int):
    grant = get_grant_for_user(request, pk)
    if not grant.agreement_text:
        raise Http404
    return pdf.pdf_response(_agreement_pdf(grant), f"convenzione-{grant.cup}.pdf")


# --- payments ------------------------------------------------------------------------------


@login_required
@require_POST
@level_required(2)
def payment_prepare(request, pk: int):
    grant = get_grant_for_user(request, pk)
    _allowed(permissions.can_prepare_payment(request.user, grant))
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegliere la tranche."))
        return _back(grant.pk, "payments")
    return _run(
        request,
        grant.pk,
        "payments",
        lambda: actions.prepare_payment(
            request.user,
            grant,
            form.cleaned_data["kind"],
            guarantee=form.cleaned_data["guarantee"],
            note=form.cleaned_data["note"],
        ),
        _("Erogazione predisposta: attende l'approvazione."),
    )


def _payment_for_user(request, pk: int) -> Payment:
    payment = get_object_or_404(Payment, pk=pk)
    payment.grant = get_grant_for_user(request, payment.grant_id)
    return payment


@login_required
@require_POST
@level_required(2)
def payment_approve(request, pk: int):
    payment = _payment_for_user(request, pk)
    return _run(
        request,
        payment.grant_id,
        "payments",
        lambda: actions.approve_payment(request.user, payment),
        _("Erogazione approvata."),
    )


@login_required
@require_POST
@level_required(2)
def payment_pay(request, pk: int):
    payment = _payment_for_user(request, pk)
    reference = ReferenceForm(request.POST)
    value = reference.cleaned_data["reference"] if reference.is_valid() else ""
    return _run(
        request,
        payment.grant_id,
        "payments",
        lambda: actions.pay_payment(request.user, payment, value),
        _("Pagamento registrato."),
    )


@login_required
@require_POST
@level_required(2)
def payment_reverse(request, pk: int):
    payment = _payment_for_user(request, pk)
    _allowed(permissions.can_reverse_payment(request.user, payment))
    form = ReasonForm(request.POST)
    value = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        payment.grant_id,
        "payments",
        lambda: actions.reverse_payment(request.user, payment, value),
        _("Storno predisposto: attende l'approvazione."),
    )


# --- expenditure reports ---------------------------------------------------------------------


@login_required
@require_POST
def report_create(request, pk: int):
    grant = get_grant_for_user(request, pk)
    _allowed(permissions.can_create_report(request.user, grant))
    try:
        created = actions.create_report(request.user, grant, final=bool(request.POST.get("final")))
    except ValidationError as error:
        report(request, error)
        return _back(grant.pk, "reports")
    return redirect("grants:report_detail", created.pk)


def _report_for_user(request, pk: int) -> ExpenditureReport:
    found = get_object_or_404(ExpenditureReport, pk=pk)
    found.grant = get_grant_for_user(request, found.grant_id)
    return found


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request, pk: int):
    """A report: its expenses and documents; the beneficiary adds them while a draft."""
    expenditure = _report_for_user(request, pk)
    call = expenditure.grant.application.call
    form = ExpenseItemForm(request.POST or None, call=call)
    if request.method == "POST":
        if not permissions.can_write_report(request.user, expenditure):
            raise Http404
        if form.is_valid():
            rows = [
                ExpenseItem(category=i.category, description=i.description, amount=i.amount)
                for i in expenditure.items.all()
            ] + [ExpenseItem(**form.cleaned_data)]
            try:
                actions.save_report_items(request.user, expenditure, rows)
            except ValidationError as error:
                add_errors(form, error)
                report(request, error)
            else:
                messages.success(request, _("Spesa aggiunta."))
                return redirect("grants:report_detail", expenditure.pk)
    return render(
        request,
        "grants/management/report_detail.html",
        {
            "report": expenditure,
            "grant": expenditure.grant,
            "call": call,
            "items": expenditure.items.select_related("category"),
            "documents": expenditure.documents.all(),
            "form": form,
            "document_form": DocumentForm(),
            "can_write": permissions.can_write_report(request.user, expenditure),
            "can_verify": permissions.can_verify_report(request.user, expenditure),
            "verification": getattr(expenditure, "verification", None),
        },
    )


@login_required
@require_POST
def report_document_upload(request, pk: int):
    expenditure = _report_for_user(request, pk)
    _allowed(permissions.can_write_report(request.user, expenditure))
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Scegliere un file PDF."))
    else:
        try:
            actions.add_report_document(request.user, expenditure, form.cleaned_data["file"])
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Giustificativo caricato."))
    return redirect("grants:report_detail", expenditure.pk)


@login_required
@require_safe
def report_document_download(request, pk: int):
    document = get_object_or_404(ExpenseDocument, pk=pk)
    _report_for_user(request, document.report_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type="application/pdf"
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    expenditure = _report_for_user(request, pk)
    _allowed(permissions.can_write_report(request.user, expenditure))
    try:
        actions.submit_report(request.user, expenditure)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Rendiconto inviato."))
    return redirect("grants:report_detail", expenditure.pk)


def _amount(value) -> Decimal | None:
    try:
        return Decimal((value or "").strip().replace(",", "."))
    except InvalidOperation:
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_verify(request, pk: int):
    """The officer's first-level verification: checklist, accepted amounts, cuts' reasons."""
    expenditure = _report_for_user(request, pk)
    if not permissions.can_verify_report(request.user, expenditure):
        raise Http404
    grant = expenditure.grant
    kind = Verification.Kind.ON_THE_SPOT if grant.on_the_spot_sample else Verification.Kind.DESK
    kind = request.POST.get("kind", kind) if request.method == "POST" else kind
    if kind not in Verification.Kind.values:
        kind = Verification.Kind.DESK
    items = list(expenditure.items.select_related("category"))
    errors = {}
    if request.method == "POST":
        checklist = {
            code: request.POST.get(f"check_{code}") == "on"
            for code, _label in Verification.checklist_for(kind)
        }
        accepted = {}
        for item in items:
            value = _amount(request.POST.get(f"accepted_{item.pk}"))
            if value is None:
                errors[item.pk] = _("Importo non valido.")
                continue
            accepted[item.pk] = (value, request.POST.get(f"reason_{item.pk}", ""))
        if not errors:
            try:
                actions.verify_report(
                    request.user,
                    expenditure,
                    kind=kind,
                    checklist=checklist,
                    accepted=accepted,
                    notes=request.POST.get("notes", ""),
                )
            except ValidationError as error:
                report(request, error)
            else:
                messages.success(request, _("Verifica registrata."))
                return redirect("grants:report_detail", expenditure.pk)
    for item in items:
        item.error = errors.get(item.pk, "")
        item.posted_amount = request.POST.get(f"accepted_{item.pk}", item.amount)
        item.posted_reason = request.POST.get(f"reason_{item.pk}", "")
    return render(
        request,
        "grants/management/report_verify.html",
        {
            "report": expenditure,
            "grant": grant,
            "call": grant.application.call,
            "items": items,
            "kind": kind,
            "kinds": Verification.Kind.choices,
            "checklist": Verification.checklist_for(kind),
        },
    )


@login_required
@require_POST
def sample_draw(request, code: str):
    """The officer draws the call's grants to verify on the spot."""
    call = get_call_for_user(request, code)
    if not permissions.can_draw_sample(request.user, call):
        raise Http404
    form = SampleForm(request.POST)
    if form.is_valid():
        try:
            chosen = actions.draw_on_the_spot_sample(request.user, call, **form.cleaned_data)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("Estratte per la verifica in loco: %(cups)s.")
                % {"cups": ", ".join(g.cup for g in chosen) or "—"},
            )
    else:
        messages.error(request, _("Indicare quota e seme dell'estrazione."))
    return redirect("grants:grant_list")


# --- changes, renunciation, revocation, recovery, closure -------------------------------------


@login_required
@require_POST
def change_request(request, pk: int):
    grant = get_grant_for_user(request, pk)
    _allowed(permissions.can_request_change(request.user, grant))
    form = ChangeForm(request.POST, call=grant.application.call)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(grant.pk, "changes")
    return _run(
        request,
        grant.pk,
        "changes",
        lambda: actions.request_change(request.user, grant, ChangeRequest(**form.cleaned_data)),
        _("Variazione chiesta."),
    )


@login_required
@require_POST
def change_decide(request, pk: int):
    change = get_object_or_404(ChangeRequest, pk=pk)
    change.grant = get_grant_for_user(request, change.grant_id)
    _allowed(permissions.can_decide_change(request.user, change))
    form = DecideChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegliere la decisione."))
        return _back(change.grant_id, "changes")
    return _run(
        request,
        change.grant_id,
        "changes",
        lambda: actions.decide_change(request.user, change, **form.cleaned_data),
        _("Decisione registrata."),
    )


@login_required
@require_POST
def grant_renounce(request, pk: int):
    grant = get_grant_for_user(request, pk)
    _allowed(permissions.can_renounce(request.user, grant))
    form = ReasonForm(request.POST)
    value = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        grant.pk,
        "revocations",
        lambda: actions.renounce(request.user, grant, value),
        _("Rinuncia registrata."),
    )


@login_required
@require_POST
def grant_revoke(request, pk: int):
    grant = get_grant_for_user(request, pk)
    _allowed(permissions.can_revoke(request.user, grant))
    form = RevokeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(grant.pk, "revocations")
    return _run(
        request,
        grant.pk,
        "revocations",
        lambda: actions.revoke(request.user, grant, **form.cleaned_data),
        _("Revoca registrata."),
    )


@login_required
@require_POST
def recovery_record(request, pk: int):
    revocation = get_object_or_404(Revocation, pk=pk)
    revocation.grant = get_grant_for_user(request, revocation.grant_id)
    _allowed(permissions.can_record_recovery(request.user, revocation))
    form = RecoveryForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(revocation.grant_id, "revocations")
    return _run(
        request,
        revocation.grant_id,
        "revocations",
        lambda: actions.record_recovery(request.user, revocation, **form.cleaned_data),
        _("Recupero registrato."),
    )


@login_required
@require_POST
def grant_close(request, pk: int):
    grant = get_grant_for_user(request, pk)
    achieved = {
        target.code: request.POST.get(f"achieved_{target.code}")
        for target in grant.application.indicator_targets.all()
    }
    return _run(
        request,
        grant.pk,
        "closure",
        lambda: actions.close_grant(
            request.user,
            grant,
            final_report=request.POST.get("final_report", ""),
            achieved=achieved,
        ),
        _("Concessione chiusa."),
    )


# --- all documents as one archive ------------------------------------------------------------


class _Pipe:
    """A write-only file for zipfile whose written bytes are taken out as they come."""

    def __init__(self):
        self.chunks = []
        self.position = 0

    def write(self, data):
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _archive_files(grant: Grant):
    """(name in the archive, opener) of every document of the grant."""
    application = grant.application
    receipt = getattr(application, "receipt", None)
    if receipt is not None:
        yield "domanda/ricevuta.json", lambda: receipt.content.encode()
    for attachment in application.attachments.all():
        yield f"domanda/{attachment.pk}-{attachment.original_name}", attachment.file.open
    if grant.agreement_text:
        yield f"convenzione-{grant.cup}.pdf", lambda: _agreement_pdf(grant)
    for document in ExpenseDocument.objects.filter(report__grant=grant).select_related("report"):
        name = f"rendiconti/{document.report.number}/{document.pk}-{document.original_name}"
        yield name, document.file.open


def _stream_archive(grant: Grant):
    pipe = _Pipe()
    manifest = []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, opener in _archive_files(grant):
            try:
                content = opener()
            except FileNotFoundError:
                manifest.append({"file": name, "missing": True})
                continue
            digest = hashlib.sha256()
            with archive.open(name, "w", force_zip64=True) as target:
                if isinstance(content, bytes):
                    target.write(content)
                    digest.update(content)
                else:
                    with content as handle:
                        for chunk in iter(lambda: handle.read(64 * 1024), b""):
                            target.write(chunk)
                            digest.update(chunk)
                            yield pipe.take()
            manifest.append({"file": name, "sha256": digest.hexdigest()})
            yield pipe.take()
        state = {k: str(v) for k, v in vars(grant_state(grant)).items()}
        archive.writestr(
            "indice.json",
            json.dumps(
                {"cup": grant.cup, "files": manifest, "financial_state": state},
                ensure_ascii=False,
                indent=2,
            ),
        )
    yield pipe.take()


@login_required
@require_safe
def grant_archive(request, pk: int):
    """Every document of the grant in one ZIP, streamed as it is written."""
    grant = get_grant_for_user(request, pk)
    response = StreamingHttpResponse(_stream_archive(grant), content_type="application/zip")
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="concessione-{grant.cup}-{stamp}.zip"'
    return response
