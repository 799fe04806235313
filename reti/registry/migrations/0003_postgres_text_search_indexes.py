"""PostgreSQL only: trigram indexes for the API's case-insensitive text filter, and statistics.

`icontains` compiles to UPPER(col::text) LIKE UPPER('%…%'); a pg_trgm GIN index on that
expression turns a 2M-row scan into an index lookup. Extended statistics on a project's
(period, status) stop the planner from expecting rows where a combination has none.
SQLite has no equivalent and needs none at the sizes it serves.
"""

from django.db import migrations

TEXT_COLUMNS = {
    "registry_project": ["title_it", "title_en", "acronym"],
    "registry_organisation": ["name_it", "name_en", "acronym"],
    "registry_network": ["name_it", "name_en", "acronym"],
}


def _index_name(table, column):
    return f"{table.removeprefix('registry_')}_{column}_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index_name(table, column)}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )
    schema_editor.execute(
        "CREATE STATISTICS IF NOT EXISTS project_period_status_stats (dependencies, mcv) "
        'ON period_id, status FROM "registry_project"'
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP STATISTICS IF EXISTS project_period_status_stats")
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_natural_keys_for_loaded_records")]

    operations = [migrations.RunPython(forwards, backwards)]
