"""E-mails of the grants app, in the recipient's language: the submission receipt, the
outcome of a published ranking, a grant made by scorrimento, the admissibility outcome, the
soccorso istruttorio's requests (to the applicant's representatives) and answers (to the
officer who asked).

A representative's language is the one they signed up in (accounts.SignUp), Italian for
accounts made by staff; the submitter's receipt follows the page they submitted from.

Each message is a template `grants/email/<name>.<language>.txt` whose first line is the
subject; links are absolute (settings.RETI_SITE_URL). Messages leave after the transaction
commits; a mail server that is down does not undo a submission.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from reti.lib import mail
from reti.lib.mail import LANGUAGES, site_url

from .models import Admissibility, DocumentRequest, RankingEntry, Receipt, RepresentationClaim


def after_commit(func, *args) -> None:
    def send():
        func(*args)

    send.__qualname__ = func.__qualname__  # named in the log when it fails
    transaction.on_commit(send, robust=True)


def render_message(name: str, language: str, context: dict) -> tuple[str, str]:
    """The subject and body of template `grants/email/name` in `language`."""
    return mail.render_message("grants/email", name, language, context)


def send_receipt_email(receipt_id: int, user_id: int, language: str) -> None:
    """Send the submission receipt to the representative who submitted."""
    user = get_user_model().objects.get(pk=user_id)
    if not user.email:
        return
    receipt = Receipt.objects.select_related("application__call", "application__organisation").get(
        pk=receipt_id
    )
    language = language if language in LANGUAGES else "it"
    with translation.override(language):
        url = site_url(reverse("grants:receipt", args=[receipt.application_id]))
    context = {
        "receipt": receipt,
        "application": receipt.application,
        "submitted_at": timezone.localtime(receipt.submitted_at),
        "receipt_url": url,
    }
    subject, body = render_message("submitted", language, context)
    EmailMessage(subject, body, to=[user.email]).send()


def _send_to_applicants(name: str, entry_id: int) -> None:
    entry = RankingEntry.objects.select_related(
        "run__call", "application__organisation", "application__receipt"
    ).get(pk=entry_id)
    application = entry.application
    for user in representatives(application.organisation_id):
        language = language_of(user)
        with translation.override(language):
            url = site_url(reverse("grants:application_detail", args=[application.pk]))
        context = {
            "entry": entry,
            "run": entry.run,
            "application": application,
            "call": entry.run.call,
            "status": _status_label(entry, language),
            "appeal_deadline": timezone.localtime(entry.run.appeal_deadline)
            if entry.run.appeal_deadline
            else None,
            "application_url": url,
        }
        subject, body = render_message(name, language, context)
        EmailMessage(subject, body, to=[user.email]).send()


def _status_label(entry, language: str) -> str:
    with translation.override(language):
        return str(entry.get_status_display())


def send_outcome_email(entry_id: int) -> None:
    """Tell an applicant the outcome of a published ranking (provisional or final)."""
    _send_to_applicants("outcome", entry_id)


def send_scroll_email(entry_id: int) -> None:
    """Tell an applicant a scorrimento funded (or completed) its application."""
    _send_to_applicants("scrolled", entry_id)


def language_of(user) -> str:
    """The language the user wrote in when signing up (Italian for accounts made by staff)."""
    try:
        language = user.sign_up.language
    except ObjectDoesNotExist:
        language = "it"
    return language if language in LANGUAGES else "it"


def representatives(organisation_id: int) -> list:
    """The active users with a verified claim to represent the organisation, and an address."""
    users = (
        get_user_model()
        .objects.filter(
            grant_claims__organisation_id=organisation_id,
            grant_claims__status=RepresentationClaim.Status.VERIFIED,
            is_active=True,
        )
        .exclude(email="")
        .select_related("sign_up")
        .distinct()
    )
    return list(users)


def _send(name: str, user, language: str, context: dict, url_name: str, arg) -> None:
    with translation.override(language):
        url = site_url(reverse(url_name, args=[arg]))
    subject, body = render_message(name, language, {**context, "url": url})
    EmailMessage(subject, body, to=[user.email]).send()


def send_admissibility_email(admissibility_id: int) -> None:
    """The outcome of the istruttoria, to each of the applicant's representatives."""
    admissibility = Admissibility.objects.select_related(
        "application__call", "application__organisation", "application__receipt"
    ).get(pk=admissibility_id)
    application = admissibility.application
    for user in representatives(application.organisation_id):
        language = language_of(user)
        context = {
            "application": application,
            "admissibility": admissibility,
            "admitted": admissibility.outcome == Admissibility.Outcome.ADMITTED,
            "protocol": getattr(getattr(application, "receipt", None), "protocol_number", ""),
        }
        _send("admissibility", user, language, context, "grants:application_detail", application.pk)


def send_document_request_email(request_id: int) -> None:
    """A soccorso istruttorio's request, to each of the applicant's representatives."""
    request = DocumentRequest.objects.select_related(
        "application__call", "application__organisation"
    ).get(pk=request_id)
    application = request.application
    for user in representatives(application.organisation_id):
        context = {
            "application": application,
            "request": request,
            "deadline": timezone.localtime(request.deadline),
        }
        _send(
            "document_request",
            user,
            language_of(user),
            context,
            "grants:application_detail",
            application.pk,
        )


def send_document_answer_email(request_id: int) -> None:
    """The applicant's answer, to the officer who asked."""
    request = DocumentRequest.objects.select_related(
        "application__call", "application__organisation", "asked_by"
    ).get(pk=request_id)
    officer = request.asked_by
    if not officer.email:
        return
    context = {
        "application": request.application,
        "request": request,
        "answered_at": timezone.localtime(request.answered_at),
    }
    _send(
        "document_answer",
        officer,
        language_of(officer),
        context,
        "grants:officer_application",
        request.application_id,
    )
