"""person_key loses its own index: the unique (intervention, person_key) serves every lookup.

Only the index is dropped (SQLite would otherwise copy the whole table to alter the field).
"""

from django.db import migrations, models


def drop_person_key_indexes(apps, schema_editor):
    table = "monitoring_participantrecord"
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, info in constraints.items():
        plain = info["index"] and not info["unique"] and not info["primary_key"]
        if plain and info["columns"] == ["person_key"]:
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_person_key_index(apps, schema_editor):
    model = apps.get_model("monitoring", "ParticipantRecord")
    field = model._meta.get_field("person_key")
    for statement in schema_editor._field_indexes_sql(model, field):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "postgresql":
        like = schema_editor._create_like_index_sql(model, field)
        if like is not None:
            schema_editor.execute(like)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial_schema"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="participantrecord",
                    name="person_key",
                    field=models.CharField(max_length=64, verbose_name="chiave pseudonima"),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_person_key_indexes, restore_person_key_index),
            ],
        ),
    ]
