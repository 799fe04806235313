"""Use cases of calls, claims and applications: check permission, change state, audit.

Every change goes through here, from the portal and the back office: the action locks the
row it changes (`select_for_update`; on SQLite the write transaction itself, opened
IMMEDIATE, serialises writers), checks `permissions`, validates with `full_clean()` and
saves with its audit entry (`reti.lib.audit`). E-mails leave after the transaction commits.

Submission (`submit_application`) is made safe this way: the application's row is locked,
then the `ProtocolCounter(year, series)` row; only then is the server clock read and compared
with the deadline, so a submission that began before the deadline and reaches the counter
after it is refused, and every accepted one takes the next number of its series. A refused
submission rolls back: the counter does not move, numbers stay gapless. Submitting an
application already submitted answers its receipt again (a repeated form is not a duplicate).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit, uploads

from .. import checks, clock, emails, permissions, receipts
from ..models import (
    Application,
    ApplicationAttachment,
    Call,
    CallAmendment,
    CallFAQ,
    ProtocolCounter,
    Quota,
    Receipt,
    RepresentationClaim,
)

# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
CALL_PUBLISHED = gettext_noop("Bando pubblicato")
CALL_AMENDED = gettext_noop("Rettifica del bando")
FAQ_PUBLISHED = gettext_noop("Chiarimento pubblicato")
CLAIMED = gettext_noop("Richiesta di rappresentanza")
CLAIM_VERIFIED = gettext_noop("Rappresentanza verificata")
CLAIM_REFUSED = gettext_noop("Rappresentanza respinta")
APPLICATION_CREATED = gettext_noop("Domanda creata")
APPLICATION_SAVED = gettext_noop("Domanda modificata")
APPLICATION_SUBMITTED = gettext_noop("Domanda presentata")
APPLICATION_WITHDRAWN = gettext_noop("Domanda ritirata")
ATTACHED = gettext_noop("Allegato caricato")
DETACHED = gettext_noop("Allegato rimosso")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# --- calls ---------------------------------------------------------------------------------


@transaction.atomic
def save_instrument(user, obj, *, reason: str = ""):
    """Create or change a programme or a global grant (staff)."""
    _require(permissions.can_manage_instrument(user), "Only staff record programmes and grants.")
    audit.save(obj, user, reason)
    return obj


@transaction.atomic
def save_call(user, call: Call, *, reason: str = "") -> Call:
    """Create a call, or change a draft one, of a global grant the user's body manages."""
    if call.pk is not None:
        stored = _locked(Call, call)
        _require(permissions.can_edit_call(user, stored), "You do not edit this call.")
    _require(permissions.can_edit_call(user, call), "You do not write calls of this grant.")
    if call.pk is None:
        call.status, call.published_at = Call.Status.DRAFT, None
    audit.save(call, user, reason)
    return call


@transaction.atomic
def save_call_part(user, obj, *, reason: str = ""):
    """Create or change a line, quota, cost category, required attachment or FAQ of a call.

    Parts of a draft call only; a FAQ until it is published (a published call's FAQ too).
    """
    call = obj.line.call if isinstance(obj, Quota) else obj.call
    call = _locked(Call, call)
    if isinstance(obj, CallFAQ):
        allowed = permissions.can_edit_faq(user, obj)
        if obj.pk is not None:
            allowed = allowed and permissions.can_edit_faq(user, CallFAQ.objects.get(pk=obj.pk))
    else:
        allowed = permissions.can_edit_call(user, call)
    _require(allowed, "You do not edit this call.")
    audit.save(obj, user, reason)
    return obj


@transaction.atomic
def delete_call_part(user, obj, *, reason: str = "") -> None:
    """Delete a part of a draft call (or an unpublished FAQ)."""
    call = obj.line.call if isinstance(obj, Quota) else obj.call
    if isinstance(obj, CallFAQ):
        allowed = permissions.can_edit_faq(user, obj)
    else:
        allowed = permissions.can_edit_call(user, _locked(Call, call))
    _require(allowed, "You do not edit this call.")
    audit.delete(obj, user, reason)


@transaction.atomic
def publish_call(user, call: Call) -> Call:
    """The intermediate body publishes a draft call: from now on it changes by amendments."""
    call = _locked(Call, call)
    _require(permissions.can_publish_call(user, call), "You do not publish this call.")
    errors = {}
    if not call.lines.exists():
        errors["lines"] = _("Il bando non ha linee.")
    if not call.cost_categories.exists():
        errors["cost_categories"] = _("Il bando non ha categorie di spesa.")
    if call.deadline <= clock.now():
        errors["deadline"] = _("La scadenza è già passata.")
    budget = sum(line.budget for line in call.lines.all())
    if budget > call.global_grant.allocation:
        errors["lines"] = _("Le linee superano la dotazione della sovvenzione globale.")
    if errors:
        raise ValidationError(errors)
    call.status = Call.Status.PUBLISHED
    call.published_at = clock.now()
    audit.save(call, user, CALL_PUBLISHED)
    return call


@transaction.atomic
def amend_call(user, call: Call, amendment: CallAmendment) -> CallAmendment:
    """Record an amendment (rettifica) of a published call; it may extend the deadline."""
    call = _locked(Call, call)
    _require(permissions.can_amend_call(user, call), "You do not amend this call.")
    amendment.call = call
    if amendment.new_deadline is not None:
        if amendment.new_deadline <= call.opens_at:
            raise ValidationError({"new_deadline": _("La nuova scadenza precede l'apertura.")})
        if amendment.new_deadline <= clock.now():
            raise ValidationError({"new_deadline": _("La nuova scadenza è già passata.")})
    audit.save(amendment, user, audit.reason(CALL_AMENDED, amendment.act))
    if amendment.new_deadline is not None:
        call.deadline = amendment.new_deadline
        audit.save(call, user, audit.reason(CALL_AMENDED, amendment.act))
    return amendment


@transaction.atomic
def publish_faq(user, faq: CallFAQ) -> CallFAQ:
    """Publish a clarification of a public call, dated now."""
    faq = CallFAQ.objects.select_for_update().select_related("call__global_grant").get(pk=faq.pk)
    _require(permissions.can_publish_faq(user, faq), "You do not publish this clarification.")
    faq.published_at = clock.now()
    audit.save(faq, user, FAQ_PUBLISHED)
    return faq


# --- claims --------------------------------------------------------------------------------


@transaction.atomic
def claim_organisation(user, claim: RepresentationClaim) -> RepresentationClaim:
    """A signed-in user asks to represent an organisation; it waits for verification."""
    _require(permissions.can_claim(user), "Sign in to claim an organisation.")
    claim.user = user
    claim.status = RepresentationClaim.Status.PENDING
    claim.decided_by, claim.decided_at, claim.refusal_reason = None, None, ""
    audit.save(claim, user, CLAIMED)
    return claim


@transaction.atomic
def verify_claim(user, claim: RepresentationClaim) -> RepresentationClaim:
    """The intermediate body's officer verifies a pending claim."""
    claim = _locked(RepresentationClaim, claim)
    _require(permissions.can_verify_claim(user, claim), "You do not verify this claim.")
    claim.status = RepresentationClaim.Status.VERIFIED
    claim.decided_by, claim.decided_at = user, clock.now()
    audit.save(claim, user, CLAIM_VERIFIED)
    return claim


@transaction.atomic
def refuse_claim(user, claim: RepresentationClaim, reason: str) -> RepresentationClaim:
    """The intermediate body's officer refuses a pending claim, saying why."""
    claim = _locked(RepresentationClaim, claim)
    _require(permissions.can_refuse_claim(user, claim), "You do not verify this claim.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("Indicare il motivo del rifiuto.")})
    claim.status = RepresentationClaim.Status.REFUSED
    claim.decided_by, claim.decided_at, claim.refusal_reason = user, clock.now(), reason
    audit.save(claim, user, audit.reason(CLAIM_REFUSED, reason[:200]))
    return claim


# --- applications --------------------------------------------------------------------------


@transaction.atomic
def create_application(user, call: Call, organisation, title: str) -> Application:
    """A verified representative starts a draft application of their organisation."""
    _require(
        permissions.can_create_application(user, call, organisation),
        "You do not apply to this call for this organisation.",
    )
    application = Application(
        call=call,
        organisation=organisation,
        created_by=user,
        title=(title or "").strip(),
        applicant_type=organisation.kind,
        territory=organisation.territory,
    )
    if not application.title:
        raise ValidationError({"title": _("Indicare il titolo del progetto.")})
    audit.save(application, user, APPLICATION_CREATED)
    return application


def _save_rows(user, application, related: str, rows: list, reason: str) -> None:
    """Replace a draft's `related` rows with `rows`; an error names `<related>.<n>.<field>`."""
    for old in getattr(application, related).all():
        audit.delete(old, user, reason)
    for index, row in enumerate(rows):
        row.application = application
        try:
            audit.save(row, user, reason)
        except ValidationError as error:
            raise ValidationError(
                {f"{related}.{index}.{field}": msgs for field, msgs in error.message_dict.items()}
            ) from error


@transaction.atomic
def save_application(
    user,
    application: Application,
    *,
    budget_items: Iterable | None = None,
    partners: Iterable | None = None,
    indicator_targets: Iterable | None = None,
) -> Application:
    """Save a draft with its budget, partners and indicator targets, all or nothing.

    Rows given replace the stored ones; None leaves them as they are. Only the organisation's
    representatives, while the application is a draft and the call is open.
    """
    stored = Application.objects.select_for_update().get(pk=application.pk)
    _require(permissions.can_edit_application(user, stored), "You do not edit this application.")
    for fixed in ("call_id", "organisation_id", "created_by_id", "status", "submitted_at"):
        setattr(application, fixed, getattr(stored, fixed))
    audit.save(application, user, APPLICATION_SAVED)
    for related, rows in (
        ("budget_items", budget_items),
        ("partners", partners),
        ("indicator_targets", indicator_targets),
    ):
        if rows is not None:
            _save_rows(user, application, related, list(rows), APPLICATION_SAVED)
    return application


@transaction.atomic
def add_attachment(user, application: Application, uploaded, required=None):
    """Attach a checked PDF to a draft (for one of the call's required attachments, if given)."""
    application = _locked(Application, application)
    _require(
        permissions.can_edit_application(user, application), "You do not edit this application."
    )
    if required is not None and required.call_id != application.call_id:
        raise ValidationError({"required": _("Allegato richiesto di un altro bando.")})
    kind = uploads.check_upload(uploaded)
    if kind != uploads.Kind.PDF:
        raise ValidationError({"file": _("Gli allegati della domanda sono file PDF.")})
    attachment = ApplicationAttachment(
        application=application,
        required=required,
        file=uploaded,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=receipts.file_sha256(uploaded),
    )
    audit.save(attachment, user, audit.reason(ATTACHED, attachment.original_name[:100]))
    return attachment


@transaction.atomic
def remove_attachment(user, attachment: ApplicationAttachment) -> None:
    """Remove an attachment from a draft; the trail keeps the row, the file goes."""
    application = _locked(Application, attachment.application)
    _require(
        permissions.can_edit_application(user, application), "You do not edit this application."
    )
    stored_file = attachment.file
    audit.delete(attachment, user, audit.reason(DETACHED, attachment.original_name[:100]))
    transaction.on_commit(lambda: stored_file.delete(save=False))


def _next_protocol(series: str, year: int) -> int:
    """The next number of a series and year, from its counter row locked until commit."""
    ProtocolCounter.objects.get_or_create(year=year, series=series)
    counter = ProtocolCounter.objects.select_for_update().get(year=year, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def protocol_number(series: str, year: int, sequence: int) -> str:
    return f"{series.upper()}/{year}/{sequence:06d}"


@transaction.atomic
def submit_application(user, application: Application) -> Receipt:
    """Submit a draft before the deadline by the server clock; answers its receipt.

    Refused (ValidationError) when the application is incomplete, naming each field, or when
    the clock read after taking the locks has reached the deadline. Submitting again an
    application already submitted answers the same receipt.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    call = application.call
    if application.status == Application.Status.SUBMITTED and permissions.is_applicant(
        user, application
    ):
        return application.receipt
    applicant_draft = application.is_draft and permissions.is_applicant(user, application)
    if applicant_draft and clock.now() >= call.deadline:
        raise ValidationError(_deadline_passed(call))
    _require(
        permissions.can_submit_application(user, application),
        "You do not submit this application.",
    )
    problems = checks.problems(application)
    if problems:
        raise ValidationError(problems)
    submitted_at = clock.now()
    year = timezone.localtime(submitted_at).year
    sequence = _next_protocol(call.code, year)
    # Read the clock again once the counter is ours: a submission that waited past the
    # deadline for the lock is refused, and the rollback gives its number back.
    submitted_at = clock.now()
    if submitted_at >= call.deadline:
        raise ValidationError(_deadline_passed(call))
    number = protocol_number(call.code, year, sequence)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = submitted_at
    audit.save(application, user, audit.reason(APPLICATION_SUBMITTED, number))
    content = receipts.canonical_content(
        application, protocol_number=number, submitted_at=submitted_at
    )
    receipt = Receipt(
        application=application,
        series=call.code,
        year=year,
        sequence=sequence,
        protocol_number=number,
        submitted_at=submitted_at,
        content=content,
        content_sha256=receipts.sha256_text(content),
        attachment_hashes=receipts.attachment_hashes(application),
    )
    receipt.full_clean()
    receipt.save()
    language = translation.get_language() or "it"
    emails.after_commit(emails.send_receipt_email, receipt.pk, user.pk, language)
    return receipt


def _deadline_passed(call: Call) -> dict:
    deadline = timezone.localtime(call.deadline)
    return {
        "deadline": _(
            "Il bando è scaduto il %(date)s alle %(time)s (ora italiana): la domanda non è "
            "stata presentata."
        )
        % {"date": deadline.strftime("%d/%m/%Y"), "time": deadline.strftime("%H:%M")}
    }


@transaction.atomic
def withdraw_application(user, application: Application) -> Application:
    """The applicant withdraws a submitted application before the deadline; its receipt stays.

    After the deadline only once the final ranking is published, while it is valid: the
    withdrawal (rinuncia) makes a scorrimento (`evaluation.free_money`)."""
    application = _locked(Application, application)
    _require(
        permissions.can_withdraw_application(user, application),
        "You do not withdraw this application.",
    )
    after_ranking = clock.now() >= application.call.deadline
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = clock.now()
    audit.save(application, user, APPLICATION_WITHDRAWN)
    if after_ranking:
        # A rinuncia after the final ranking frees its money: a scorrimento.
        from .evaluation import free_money

        free_money(user, application, "withdrawn", reason=_("Rinuncia del proponente"))
    return application
