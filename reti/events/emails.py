"""E-mails of events, in the recipient's language: registration, promotion, reminders.

Each message is a template `events/email/<name>.<language>.txt` whose first line is the
subject. Links are absolute, built on settings.RETI_SITE_URL.
"""

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation

from reti.lib import mail
from reti.lib.mail import LANGUAGES, site_url

from .models import FollowUpItem, Registration


def render_message(name: str, language: str, context: dict) -> tuple[str, str]:
    """The subject and body of template `events/email/name` in `language`."""
    return mail.render_message("events/email", name, language, context)


def send_registration_email(registration_id: int, name: str) -> None:
    """Send the `confirmed`, `waitlisted` or `promoted` message of a registration."""
    from .actions import cancel_token

    registration = Registration.objects.select_related("event", "event__host").get(
        pk=registration_id
    )
    event = registration.event
    with translation.override(registration.language):
        event_url = site_url(event.get_absolute_url())
        cancel_url = site_url(reverse("events:cancel_by_link", args=[cancel_token(registration)]))
        context = {
            "registration": registration,
            "event": event,
            "start": timezone.localtime(event.start),
            "end": timezone.localtime(event.end),
            "event_url": event_url,
            "cancel_url": cancel_url,
        }
    subject, body = render_message(name, registration.language, context)
    EmailMessage(subject, body, to=[registration.email]).send()


def owner_language(user) -> str:
    """The language a user reads Reti's e-mails in.

    Accounts carry no language preference: it is the language of the user's latest
    registration to an event (chosen on the registration form, or the page's language),
    Italian for someone who never registered.
    """
    language = (
        Registration.objects.filter(user=user).order_by("-pk").values_list("language", flat=True)
    ).first()
    return language if language in LANGUAGES else "it"


def send_follow_up_reminder(item: FollowUpItem, days_before: int, language: str = "") -> None:
    """Remind the owner of a follow-up item, in their language, that its due date is near."""
    language = language if language in LANGUAGES else owner_language(item.owner)
    with translation.override(language):
        event_url = site_url(item.event.get_absolute_url())
    context = {"item": item, "event": item.event, "days": days_before, "event_url": event_url}
    subject, body = render_message("reminder", language, context)
    EmailMessage(subject, body, to=[item.owner.email]).send()
