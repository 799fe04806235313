"""Removal of earlier synthetic data, in bulk, without touching any real record.

Deleting millions of rows through the ORM would load each one to run its signals; synthetic
rows are removed with one DELETE per table instead. Rows of other models that point at
synthetic records follow their foreign key's on_delete (a demo user's membership of a demo
organisation goes with it); a real registry record pointing at synthetic data stops the run.
"""

from django.core.management.base import CommandError
from django.db import connection, models

from ..models import (
    Action,
    Affiliation,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Person,
    Project,
    ProjectPlace,
    WorkingGroup,
)

# Children before parents; every model here has the `synthetic` flag.
SYNTHETIC_MODELS = (
    Action,
    Partnership,
    GoverningRole,
    NetworkLink,
    WorkingGroup,
    Affiliation,
    Project,
    Network,
    Person,
    Organisation,
)
# Rows derived from synthetic records, deleted with them in bulk (reti.registry.places).
DERIVED_MODELS = (ProjectPlace,)


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def _synthetic_ids(model):
    return model._base_manager.filter(synthetic=True).values("pk")


def _check_real_records_keep_clear() -> None:
    """Refuse when a real registry record refers to synthetic data."""
    for model in SYNTHETIC_MODELS:
        for field in model._meta.concrete_fields:
            target = field.related_model
            if not field.is_relation or target not in SYNTHETIC_MODELS:
                continue
            clash = model._base_manager.filter(
                synthetic=False, **{f"{field.name}__synthetic": True}
            ).first()
            if clash is not None:
                raise CommandError(
                    f"{model._meta.verbose_name} {clash.pk} ({clash}) is real data and refers to "
                    f"synthetic {target._meta.verbose_name}: remove the link before regenerating"
                )


def _release_outside_references(model) -> None:
    """Apply on_delete for rows of other models that refer to synthetic rows of `model`."""
    for relation in model._meta.related_objects:
        other = relation.related_model
        if relation.many_to_many or other in SYNTHETIC_MODELS or other in DERIVED_MODELS:
            continue
        if _is_history(other):
            continue
        on_delete = relation.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        rows = other._base_manager.filter(**{f"{relation.field.name}__in": _synthetic_ids(model)})
        if on_delete is models.CASCADE:
            rows.delete()
        elif on_delete is models.SET_NULL:
            rows.update(**{relation.field.name: None})
        elif rows.exists():
            raise CommandError(
                f"{other._meta.verbose_name_plural} refer to synthetic "
                f"{model._meta.verbose_name_plural}; remove them before regenerating"
            )


def _delete_m2m_rows(model) -> None:
    """Delete the join rows of many-to-many fields that touch synthetic rows of `model`."""
    quote = connection.ops.quote_name
    joins = [(f.remote_field.through, f.m2m_column_name()) for f in model._meta.many_to_many]
    joins += [
        (r.through, r.field.m2m_reverse_name())
        for r in model._meta.related_objects
        if r.many_to_many
    ]
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for through, column in joins:
            cursor.execute(
                f"DELETE FROM {quote(through._meta.db_table)} WHERE {quote(column)} IN "
                f"(SELECT id FROM {table} WHERE synthetic = %s)",
                [True],
            )


def release_synthetic() -> None:
    """Check that real records keep clear of synthetic data and let go of other references;
    run before `delete_synthetic`, while every index is in place."""
    _check_real_records_keep_clear()
    for model in SYNTHETIC_MODELS:
        _release_outside_references(model)


def delete_synthetic() -> dict[str, int]:
    """Delete every synthetic registry record; returns the rows deleted per model."""
    deleted = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(ProjectPlace._meta.db_table)} WHERE project_id IN "
            f"(SELECT id FROM {quote(Project._meta.db_table)} WHERE synthetic = %s)",
            [True],
        )
        for model in SYNTHETIC_MODELS:
            _delete_m2m_rows(model)
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE synthetic = %s", [True]
            )
            deleted[model._meta.label] = cursor.rowcount
    return deleted


def purge_synthetic() -> dict[str, int]:
    """Delete every synthetic registry record, refusing if real data refer to it."""
    release_synthetic()
    return delete_synthetic()
