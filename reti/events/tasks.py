"""Background tasks of events (django-tasks; `reti worker` runs them)."""

from datetime import date

from django_tasks import task

from .reminders import send_due_reminders


@task()
def send_reminders_task(today: str | None = None) -> int:
    """The daily reminders as a background task; `today` is an ISO date or None."""
    return send_due_reminders(date.fromisoformat(today) if today else None)
