"""Istruttoria di ammissibilità and soccorso istruttorio: the checklist, requests, decision.

Made safe this way: every write about one application's admissibility first locks the
application's row (`select_for_update`; on SQLite the IMMEDIATE write transaction), so the
checklist, the requests and the decision of one application change one at a time; an answer
locks its request's row and only then reads the server clock, so an answer that reaches the
lock after the deadline is refused even if it began before. E-mails leave after commit.

Rules (docs/grants-calls.md, "Ammissibilità e soccorso istruttorio"):

- the checklist is built once, when the officer first records it (`checklist.build`): the
  grid's gates that apply, then Reti's documentary checks; every item is recorded met or not
  met, and a result that contradicts what Reti computed needs a note;
- `admitted` needs every item met (the engine must pass every gate) and no request left
  unanswered; `not_admissible` needs reasons and no request still running (after its
  deadline an unanswered request is recorded as expired and does not hold the decision);
- deciding again needs a reason, kept in the audit trail with the new outcome.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit, uploads

from .. import checklist, clock, emails, permissions, receipts
from ..models import Admissibility, AdmissibilityCheck, Application, DocumentRequest

OPENED = gettext_noop("Istruttoria di ammissibilità avviata")
CHECKS_RECORDED = gettext_noop("Checklist di ammissibilità registrata")
ADMITTED = gettext_noop("Domanda ammissibile")
NOT_ADMISSIBLE = gettext_noop("Domanda non ammissibile")
REDECIDED = gettext_noop("Esito dell'istruttoria cambiato")
REQUESTED = gettext_noop("Soccorso istruttorio: richiesta inviata")
ANSWERED = gettext_noop("Soccorso istruttorio: risposta ricevuta")
EXPIRED = gettext_noop("Soccorso istruttorio: termine scaduto senza risposta")

Outcome = Admissibility.Outcome
Result = AdmissibilityCheck.Result


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _lock(application: Application) -> Application:
    # Only the application's row is locked (PostgreSQL refuses FOR UPDATE on the nullable
    # side of the line's outer join, and the call's row is not ours to hold).
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation", "line")
        .get(pk=application.pk)
    )


def _admissibility(user, application: Application) -> Admissibility:
    """The application's record (get or create, pending until decided), with its checklist
    built on first use; the application's row is locked, so it is made once."""
    admissibility = Admissibility.objects.filter(application=application).first()
    if admissibility is None:
        admissibility = Admissibility(application=application)
        audit.save(admissibility, user, OPENED)
    if not admissibility.checks.exists():
        for record in checklist.as_records(admissibility, checklist.build(application)):
            audit.save(record, user, OPENED)
    return admissibility


def _rome(moment) -> dict:
    local = timezone.localtime(moment)
    return {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")}


# --- the checklist -------------------------------------------------------------------------


@transaction.atomic
def record_checks(user, application: Application, results: dict) -> Admissibility:
    """Record the checklist: `results` maps item codes to (result, note), all or nothing.

    Items not named keep what they had. A result of "met" on an item Reti computed as not
    met (or the reverse) needs a note saying why. Refused once the outcome is decided (a
    re-decision does not reopen the checklist: its reason says what changed).
    """
    application = _lock(application)
    _require(permissions.can_examine(user, application), "You do not examine this application.")
    admissibility = _admissibility(user, application)
    if admissibility.outcome != Outcome.PENDING:
        raise ValidationError({"checks": _("L'esito è già deciso: la checklist non cambia più.")})
    items = {item.code: item for item in admissibility.checks.all()}
    errors = {}
    for code in results:
        if code not in items:
            errors[f"check-{code}"] = _("Voce sconosciuta: %(code)s.") % {"code": code}
    now = clock.now()
    changed = []
    for code, (result, note) in results.items():
        item = items.get(code)
        if item is None:
            continue
        note = (note or "").strip()
        if result not in Result.values:
            errors[f"check-{code}"] = _("Esito non valido per «%(item)s».") % {"item": item.label}
            continue
        contradicts = (
            item.computed is not None
            and result != Result.PENDING
            and ((result == Result.MET) != item.computed)
        )
        if contradicts and not note:
            errors[f"check-{code}"] = _(
                "«%(item)s»: l'esito è diverso da quello calcolato da Reti, indicare perché "
                "nella nota."
            ) % {"item": item.label}
            continue
        if (result, note) == (item.result, item.note):
            continue
        item.result, item.note = result, note
        item.recorded_by, item.recorded_at = user, now
        changed.append(item)
    if errors:
        raise ValidationError(errors)
    for item in changed:
        audit.save(item, user, CHECKS_RECORDED)
    return admissibility


# --- the decision --------------------------------------------------------------------------


@transaction.atomic
def decide_admissibility(
    user, application: Application, outcome: str, reasons: str, *, change_reason: str = ""
) -> Admissibility:
    """Decide `admitted` or `not_admissible`, with reasons; see the module's rules."""
    application = _lock(application)
    _require(
        permissions.can_decide_admissibility(user, application),
        "You do not decide on this application.",
    )
    admissibility = _admissibility(user, application)
    reasons, change_reason = (reasons or "").strip(), (change_reason or "").strip()
    now = clock.now()
    errors = {}
    if outcome not in (Outcome.ADMITTED, Outcome.NOT_ADMISSIBLE):
        errors["outcome"] = _("Scegliere l'esito: ammissibile o non ammissibile.")
    redecision = admissibility.outcome != Outcome.PENDING
    if redecision and not change_reason:
        errors["change_reason"] = _(
            "L'esito è già stato deciso: indicare il motivo della nuova decisione."
        )
    requests = DocumentRequest.objects.filter(application=application)
    running = list(requests.running(now))
    if outcome == Outcome.ADMITTED:
        checks = list(admissibility.checks.all())
        pending = [c.label for c in checks if c.result != Result.MET]
        if pending:
            errors["checks"] = _(
                "Per ammettere la domanda ogni voce della checklist deve essere soddisfatta: "
                "%(items)s."
            ) % {"items": "; ".join(pending)}
        else:
            failed = checklist.failed_gates(application, {c.code: c.result for c in checks})
            if failed:  # a grid changed under a stored checklist: the engine has the last word
                errors["checks"] = _("Requisiti della griglia non superati: %(codes)s.") % {
                    "codes": ", ".join(failed)
                }
        if requests.unanswered().exists():
            errors["requests"] = _(
                "Una richiesta di integrazione è senza risposta: la domanda non può essere ammessa."
            )
    elif outcome == Outcome.NOT_ADMISSIBLE:
        if not reasons:
            errors["reasons"] = _("Indicare i motivi della non ammissibilità.")
        if running:
            deadline = max(r.deadline for r in running)
            errors["requests"] = _(
                "Una richiesta di integrazione è ancora aperta fino al %(date)s alle %(time)s "
                "(ora italiana): si decide dopo la risposta o la scadenza."
            ) % _rome(deadline)
    if errors:
        raise ValidationError(errors)
    for lapsed in requests.lapsed(now).filter(status=DocumentRequest.Status.OPEN):
        lapsed.status = DocumentRequest.Status.EXPIRED
        audit.save(lapsed, user, EXPIRED)
    admissibility.outcome = outcome
    admissibility.reasons = reasons
    admissibility.decided_by, admissibility.decided_at = user, now
    reason = ADMITTED if outcome == Outcome.ADMITTED else NOT_ADMISSIBLE
    if redecision:
        reason = audit.reason(REDECIDED, f"{outcome}: {change_reason[:200]}")
    audit.save(admissibility, user, reason)
    emails.after_commit(emails.send_admissibility_email, admissibility.pk)
    return admissibility


# --- soccorso istruttorio ------------------------------------------------------------------


@transaction.atomic
def request_document(user, application: Application, text: str, deadline) -> DocumentRequest:
    """Ask the applicant for a document or a clarification by `deadline` (aware, future)."""
    application = _lock(application)
    _require(
        permissions.can_request_document(user, application),
        "You do not ask documents of this application.",
    )
    _admissibility(user, application)
    now = clock.now()
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Scrivere che cosa si chiede al proponente.")
    if deadline is None or timezone.is_naive(deadline):
        errors["deadline"] = _("Indicare data e ora del termine (ora italiana).")
    elif deadline <= now:
        errors["deadline"] = _("Il termine deve essere nel futuro.")
    if errors:
        raise ValidationError(errors)
    request = DocumentRequest(
        application=application, text=text, deadline=deadline, asked_by=user, asked_at=now
    )
    audit.save(request, user, REQUESTED)
    emails.after_commit(emails.send_document_request_email, request.pk)
    return request


@transaction.atomic
def answer_document_request(user, request: DocumentRequest, text: str, uploaded=None):
    """The applicant answers, with a text and/or a PDF, before the deadline by the server
    clock read after the request's row is locked; a late answer is refused and not kept."""
    request = (
        DocumentRequest.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=request.pk)
    )
    if not permissions.can_view_document_request(user, request):
        raise PermissionDenied("You do not see this request.")
    if request.status == DocumentRequest.Status.ANSWERED:
        raise ValidationError({"answer": _("La richiesta ha già una risposta.")})
    _require(
        permissions.can_answer_document_request(user, request), "You do not answer this request."
    )
    now = clock.now()
    if now >= request.deadline:
        raise ValidationError(
            {
                "deadline": _(
                    "Il termine per rispondere è scaduto il %(date)s alle %(time)s (ora "
                    "italiana): la risposta non è stata registrata."
                )
                % _rome(request.deadline)
            }
        )
    text = (text or "").strip()
    if not text and uploaded is None:
        raise ValidationError(
            {"answer_text": _("Scrivere una risposta o allegare un documento PDF.")}
        )
    if uploaded is not None:
        try:
            kind = uploads.check_upload(uploaded)  # the checks of ApplicationAttachment
        except ValidationError as error:
            raise ValidationError({"answer_file": error.messages}) from error
        if kind != uploads.Kind.PDF:
            raise ValidationError({"answer_file": _("Il documento deve essere un file PDF.")})
        request.answer_file = uploaded
        request.answer_name = uploaded.name[:255]
        request.answer_size = uploaded.size
        request.answer_sha256 = receipts.file_sha256(uploaded)
    request.answer_text = text
    request.answered_by, request.answered_at = user, now
    request.status = DocumentRequest.Status.ANSWERED
    audit.save(request, user, ANSWERED)
    emails.after_commit(emails.send_document_answer_email, request.pk)
    return request
