"""Background tasks of the knowledge module (django-tasks; `reti worker` runs them)."""

from django_tasks import task


@task()
def extract_attachment_text(attachment_id: int) -> str:
    """Extract an attachment's text and re-index its practice; returns the extraction status."""
    from .actions import extract_attachment

    attachment = extract_attachment(attachment_id)
    return attachment.extraction_status if attachment else "missing"
