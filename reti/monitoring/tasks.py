"""Background tasks of monitoring (django-tasks; `reti worker` runs them)."""

from django_tasks import task

from .importing.run import import_batch


@task()
def run_import(batch_id: int) -> str:
    """Import one uploaded batch; returns its final status."""
    return import_batch(batch_id).status


@task()
def compute_analyses() -> str:
    """Compute the analyses the monitoring pages show for the current snapshot and keep them
    beside its files (analytics.precomputed); queued by the demo, whose first run would
    otherwise spend most of its time fitting them. Returns the file written, or "" when the
    snapshot changed meanwhile (its own refresh computes them)."""
    from .analytics import precomputed

    written = precomputed.persist()
    return str(written or "")
