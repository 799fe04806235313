"""PostgreSQL search: the GIN index carries the kind beside the tsvector (btree_gin).

With the tsvector alone, a search of one kind either read every document matching its words
in any kind or, when the planner expected many matches, scanned the table for the first
thousand: a search for common words over the national demo data took seconds. With the kind
in the index, the index answers "documents of this kind with these words" by itself.
SQLite is untouched (its FTS5 table filters by kind in its own query).
"""

from django.db import migrations

OLD = "search_document_vector_gin"
NEW = "search_document_kind_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NEW} "
            "ON registry_searchdocument USING gin (kind, search_vector)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NEW}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD} "
            "ON registry_searchdocument USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_project_places")]

    operations = [migrations.RunPython(forwards, backwards)]
