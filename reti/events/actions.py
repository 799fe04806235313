"""Use cases of events: check permission, change state in a transaction, write the audit trail.

Registrations and cancellations lock the event's row (`select_for_update`; on SQLite the
write transaction itself, opened IMMEDIATE, serialises them), so two people can never take
the last seat and the waiting list moves up exactly once per freed seat. E-mails leave after
the transaction commits.
"""

from collections.abc import Iterable

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit

from . import emails, permissions
from .models import Event, EventDocument, FollowUpItem, PeerReviewPoint, Registration
from .models.registrations import ACTIVE

CANCEL_SALT = "reti.events.cancel"
# What the owner of a follow-up item may change; organisers change everything.
OWNER_FIELDS = {"status", "note"}
# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
PROMOTED = gettext_noop("promossa dalla lista d'attesa")
REGISTERED = gettext_noop("iscrizione")
CANCELLED = gettext_noop("annullata")
ATTENDANCE = gettext_noop("presenze")
MINUTES = gettext_noop("verbale")


def _after_commit(func, *args) -> None:
    # robust: a mail server that is down must not turn a saved registration into an error.
    def send():
        func(*args)

    send.__qualname__ = func.__qualname__  # named in the log when it fails
    transaction.on_commit(send, robust=True)


@transaction.atomic
def save_event(user, event: Event, *, themes: Iterable | None = None, reason: str = "") -> Event:
    """Create or update an event; a larger capacity confirms people from the waiting list."""
    if event.pk is None:
        allowed = permissions.can_create_event(user, host=event.host, network=event.network)
    else:
        stored = Event.objects.select_for_update().get(pk=event.pk)
        allowed = permissions.can_organise(user, stored) and permissions.can_organise(user, event)
    if not allowed:
        raise PermissionDenied("You do not organise this event.")
    audit.save(event, user, reason)
    if themes is not None:
        event.themes.set(themes)
    _fill_free_seats(event, user)
    return event


def _fill_free_seats(event: Event, user) -> list[Registration]:
    """Confirm wait-listed registrations, first come first served, while seats are free."""
    waiting = (
        event.registrations.select_for_update()
        .filter(status=Registration.Status.WAITLISTED)
        .order_by("position")
    )
    if event.capacity is not None:
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        waiting = waiting[: max(event.capacity - confirmed, 0)]
    promoted = []
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = timezone.now()
        audit.stamp(registration, user, PROMOTED)
        registration.save(update_fields=["status", "promoted_at"])
        promoted.append(registration)
        _after_commit(emails.send_registration_email, registration.pk, "promoted")
    return promoted


@transaction.atomic
def register(
    user,
    event: Event,
    *,
    name: str = "",
    email: str = "",
    language: str = Registration.Language.IT,
    affiliation: str = "",
    public_consent: bool = False,
) -> Registration:
    """Register a person to an event: confirmed while seats are free, then wait-listed.

    A signed-in user registers themself (their account's name and e-mail unless given);
    anyone else gives a name and an e-mail. Refused, with a message saying why, after the
    deadline or when the person already holds an active registration.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    signed_in = bool(user and user.is_authenticated)
    if signed_in:
        name = name.strip() or user.get_full_name() or user.username
        email = email.strip() or user.email
    email = email.strip().lower()
    if not name.strip():
        raise ValidationError({"name": _("Indica nome e cognome.")}, code="required")
    if not email:
        raise ValidationError({"email": _("Indica un indirizzo e-mail.")}, code="required")
    if not event.registration_is_open():
        closes = formats.date_format(
            timezone.localtime(event.registration_closes), "DATETIME_FORMAT"
        )
        raise ValidationError(
            _("Le iscrizioni a questo evento si sono chiuse il %(date)s.") % {"date": closes},
            code="closed",
        )
    same_person = Q(email=email) | (Q(user=user) if signed_in else Q(pk__in=[]))
    if event.registrations.filter(ACTIVE).filter(same_person).exists():
        raise ValidationError(
            {"email": _("Risulti già iscritto a questo evento con questo indirizzo e-mail.")},
            code="duplicate",
        )
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    full = event.capacity is not None and confirmed >= event.capacity
    last = event.registrations.aggregate(last=Max("position"))["last"] or 0
    registration = Registration(
        event=event,
        user=user if signed_in else None,
        name=name.strip(),
        email=email,
        affiliation=affiliation.strip(),
        language=language,
        public_consent=public_consent,
        status=Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED,
        position=last + 1,
    )
    audit.save(registration, user, REGISTERED)
    _after_commit(
        emails.send_registration_email, registration.pk, "waitlisted" if full else "confirmed"
    )
    return registration


def cancel_token(registration: Registration) -> str:
    """The signed token of the cancellation link sent to the registrant."""
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_for_token(token: str) -> Registration:
    """The registration a cancellation token names; PermissionDenied when forged."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature as exc:
        raise PermissionDenied("This cancellation link is not valid.") from exc
    return Registration.objects.select_related("event").get(pk=pk)


@transaction.atomic
def cancel_registration(
    user, registration: Registration, *, token: str | None = None
) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first person on the waiting list.

    The registrant (signed in, or holding the link of their e-mail) or an organiser cancels.
    Returns the registration promoted from the waiting list, if any.
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    by_token = token is not None and registration_for_token(token).pk == registration.pk
    if not (by_token or permissions.can_cancel_registration(user, registration)):
        raise PermissionDenied("You do not cancel this registration.")
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("Questa iscrizione è già annullata."), code="cancelled")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    audit.stamp(registration, user, CANCELLED)
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = _fill_free_seats(event, user)
    return promoted[0] if promoted else None


@transaction.atomic
def record_attendance(user, event: Event, attended: dict[int, bool | None]) -> int:
    """Record who attended (True), who did not (False) or unknown (None); returns changes."""
    if not permissions.can_organise(user, event):
        raise PermissionDenied("You do not organise this event.")
    changed = 0
    for registration in event.registrations.select_for_update().filter(pk__in=attended):
        if registration.attended != attended[registration.pk]:
            registration.attended = attended[registration.pk]
            audit.stamp(registration, user, ATTENDANCE)
            registration.save(update_fields=["attended"])
            changed += 1
    return changed


@transaction.atomic
def add_document(user, event: Event, *, kind: str, title: str, file) -> EventDocument:
    """Attach a file to an event; its content must match its extension, at most 20 MB."""
    if not permissions.can_organise(user, event):
        raise PermissionDenied("You do not organise this event.")
    document = EventDocument(
        event=event, kind=kind, title=title.strip(), file=file, size=file.size, uploaded_by=user
    )
    audit.save(document, user)
    return document


@transaction.atomic
def save_minutes(user, event: Event, *, minutes_it: str, minutes_en: str = "") -> Event:
    """Write the minutes of an event (Italian, and English when there is a translation)."""
    if not permissions.can_organise(user, event):
        raise PermissionDenied("You do not organise this event.")
    event.minutes_it, event.minutes_en = minutes_it, minutes_en
    audit.save(event, user, MINUTES)
    return event


@transaction.atomic
def save_review_point(user, point: PeerReviewPoint) -> PeerReviewPoint:
    """Record a host's question or a peers' recommendation of a peer review."""
    if not permissions.can_organise(user, point.event):
        raise PermissionDenied("You do not organise this event.")
    if not point.event.is_peer_review:
        raise ValidationError({"event": _("Domande e raccomandazioni sono di una peer review.")})
    if point.answers_id and point.answers.event_id != point.event_id:
        raise ValidationError({"answers": _("La domanda appartiene a un altro evento.")})
    audit.save(point, user)
    return point


@transaction.atomic
def save_follow_up(user, item: FollowUpItem) -> FollowUpItem:
    """Create or update a follow-up item; its owner may change only its status and note."""
    if item.pk is None:
        if not permissions.can_organise(user, item.event):
            raise PermissionDenied("You do not organise this event.")
    else:
        stored = FollowUpItem.objects.select_for_update().get(pk=item.pk)
        if not permissions.can_organise(user, stored.event):
            if not permissions.can_update_follow_up(user, stored):
                raise PermissionDenied("You do not update this follow-up item.")
            changed = {
                field.attname
                for field in FollowUpItem._meta.concrete_fields
                if getattr(stored, field.attname) != getattr(item, field.attname)
            }
            if changed - OWNER_FIELDS:
                raise PermissionDenied("The owner updates only the status and the note.")
    if item.recommendation_id and item.recommendation.event_id != item.event_id:
        raise ValidationError(
            {"recommendation": _("La raccomandazione appartiene a un altro evento.")}
        )
    audit.save(item, user)
    return item
