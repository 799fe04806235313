"""PostgreSQL search: the GIN index carries the span of object ids too (16,384 ids a span).

A GIN index yields every match of a condition before the first row comes out: for a word in
half of two million projects, a million row addresses whatever the LIMIT. With the span in the
index, a kind is read a span at a time until enough matches are found
(reti/registry/search/postgres.py, `_candidates`). Conditions on the kind and the tsvector
alone are still answered by the same index. SQLite is untouched.
"""

from django.db import migrations

OLD = "search_document_kind_vector_gin"
NEW = "search_document_kind_span_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NEW} ON registry_searchdocument "
            "USING gin (kind, (object_id / 16384), search_vector)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NEW}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD} "
            "ON registry_searchdocument USING gin (kind, search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_search_index_by_kind")]

    operations = [migrations.RunPython(forwards, backwards)]
