"""Reminders of follow-up items before their due dates; run daily by `reti send-reminders`.

An open item is reminded 7 days before, 1 day before and on its due date. Each reminder is
recorded (ReminderSent, unique per item, threshold and due date) in the same transaction
that sends it, so running the job twice, or every hour, never sends the same reminder
twice; a job that missed days sends only the nearest reminder. A new due date starts over.
Each reminder is written in its owner's language (`emails.owner_language`).
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from . import emails
from .models import FollowUpItem, Registration, ReminderSent

DAYS_BEFORE = (7, 1, 0)


def threshold_reached(due_date: date, today: date) -> int | None:
    """The nearest reminder threshold `today` has reached for `due_date`, if any."""
    left = (due_date - today).days
    reached = [days for days in DAYS_BEFORE if 0 <= left <= days]
    return min(reached) if reached else None


def send_due_reminders(today: date | None = None) -> int:
    """Send every reminder due `today` (local date) not sent yet; returns how many were sent."""
    today = today or timezone.localdate()
    items = (
        FollowUpItem.objects.filter(
            status__in=FollowUpItem.OPEN_STATUSES,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=max(DAYS_BEFORE)),
        )
        .select_related("owner", "event")
        .annotate(
            owner_language=Subquery(
                Registration.objects.filter(user=OuterRef("owner"))
                .order_by("-pk")
                .values("language")[:1]
            )
        )
        .order_by("due_date", "pk")
    )
    sent = 0
    for item in items.iterator(chunk_size=500):
        days = threshold_reached(item.due_date, today)
        if days is None or not item.owner.email:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(item=item, days_before=days, due_date=item.due_date)
                emails.send_follow_up_reminder(item, days, item.owner_language or "it")
        except IntegrityError:
            continue  # another run sent this one
        sent += 1
    return sent
