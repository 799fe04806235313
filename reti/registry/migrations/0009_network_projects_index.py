"""An index of a network's projects in id order, on the link table Django creates for
Project.networks (its own indexes are by project and by network alone)."""

from django.db import migrations

NAME = "registry_project_networks_network_project"


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_registry_generation")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {NAME} ON registry_project_networks (network_id, project_id)",
            f"DROP INDEX {NAME}",
        )
    ]
