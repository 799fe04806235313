"""SQLite search: an index of the search documents by (kind, id).

A kind's matches are read from the FTS5 table within the span of the kind's document ids
(reti/registry/search/sqlite.py): this index gives the span's ends in two seeks and checks
each match's kind. PostgreSQL reads a kind's matches from its GIN index and is untouched.
"""

from django.db import migrations

NAME = "search_document_kind_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON registry_searchdocument (kind, id)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_network_projects_index")]

    operations = [migrations.RunPython(forwards, backwards)]
