"""E-mails of the account area, in the recipient's language: sign-up and join decisions.

Each message is a template `accounts/email/<name>.<language>.txt` whose first line is the
subject. Links are absolute, built on settings.RETI_SITE_URL, never on the request's Host.
They are sent after the transaction that decided them commits (`actions`).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reti.lib.mail import language_of, render_message, site_url

from .models import JoinRequest


def _send(name: str, language: str, to: str, context: dict) -> None:
    with translation.override(language_of(language)):
        context = {
            **context,
            "sign_in_url": site_url(reverse("accounts:login")),
            "account_url": site_url(reverse("accounts:account")),
            "password_reset_url": site_url(reverse("accounts:password_reset")),
        }
    subject, body = render_message("accounts/email", name, language, context)
    EmailMessage(subject, body, to=[to]).send()


def send_sign_up_link(user_id: int, language: str) -> None:
    """The link that confirms a new account's address (and so activates the account)."""
    from .actions import sign_up_token

    user = get_user_model().objects.get(pk=user_id)
    with translation.override(language_of(language)):
        link = site_url(reverse("accounts:sign_up_confirm", args=[sign_up_token(user)]))
    context = {"user": user, "link": link, "hours": settings.RETI_SIGNUP_LINK_HOURS}
    _send("sign_up_link", language, user.email, context)


def send_already_registered(user_id: int, language: str) -> None:
    """To the owner of an active account whose address someone used to sign up again."""
    user = get_user_model().objects.get(pk=user_id)
    _send("sign_up_already_registered", language, user.email, {"user": user})


def send_join_decision(join_request_id: int) -> None:
    """Tell the requester that their request was approved or refused (with the reason)."""
    join_request = JoinRequest.objects.select_related("user", "organisation").get(
        pk=join_request_id
    )
    if not join_request.user.email:
        return
    _send(
        f"join_request_{join_request.state}",
        join_request.language,
        join_request.user.email,
        {"join_request": join_request, "organisation": join_request.organisation},
    )


def send_join_request_notice(join_request_id: int) -> None:
    """Tell those who decide (`permissions.join_request_notified`) that a request waits, in
    Italian and English: accounts carry no language preference."""
    from .permissions import join_request_notified

    join_request = JoinRequest.objects.select_related("user", "organisation").get(
        pk=join_request_id
    )
    recipients = list(
        join_request_notified(join_request.organisation).values_list("email", flat=True)
    )
    if not recipients:
        return
    with translation.override("it"):
        context = {
            "join_request": join_request,
            "organisation": join_request.organisation,
            "account_url": site_url(reverse("accounts:account")),
        }
        text = render_to_string("accounts/email/join_request_received.txt", context)
    subject, _, body = text.strip().partition("\n")
    # One message each: recipients do not see one another's addresses.
    for address in recipients:
        EmailMessage(subject.strip(), body.strip() + "\n", to=[address]).send()


def send_erasure_report(erasure_id: int, address: str, language: str) -> None:
    """Tell the person whose data were erased what was removed and what was kept, and why; to
    the address the account had (the account no longer holds it)."""
    from .models import Erasure

    erasure = Erasure.objects.get(pk=erasure_id)
    language = language_of(language)
    with translation.override(language):
        outcomes = described_outcomes(erasure)
        privacy_url = site_url(reverse("accounts:privacy"))
    context = {"erasure": erasure, "outcomes": outcomes, "privacy_url": privacy_url}
    _send("erasure_report", language, address, context)


def described_outcomes(erasure) -> list[dict]:
    """The erasure's outcomes in the active language (their texts are stored in Italian)."""
    from django.utils.translation import gettext

    return [
        {
            "what": gettext(item["what"]),
            "count": item["count"],
            "kept": item["kept"],
            "reason": gettext(item["reason"]) if item["reason"] else "",
        }
        for item in erasure.report.get("outcomes", [])
    ]
