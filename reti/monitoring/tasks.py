"""Background tasks of monitoring (django-tasks; `reti worker` runs them)."""

from django_tasks import task

from .importing.run import import_batch


@task()
def run_import(batch_id: int) -> str:
    """Import one uploaded batch; returns its final status."""
    return import_batch(batch_id).status
