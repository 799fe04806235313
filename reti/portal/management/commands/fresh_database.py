"""`reti fresh-database`: write the snapshot `reti prepare-local` starts a first run from.

Run by `make fresh-database` on a throw-away database that `migrate` has just built; see
reti/portal/fresh_database.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reti.portal import fresh_database
from reti.registry.models import Territory


class Command(BaseCommand):
    help = "Write reti/portal/fresh_database.sql from a database migrate has just built."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError("The snapshot is of a SQLite database.")
        if Territory.objects.exists():
            raise CommandError(
                "This database holds data beyond what migrate writes: run it on an empty one "
                "(make fresh-database does)."
            )
        fresh_database.SNAPSHOT.write_text(fresh_database.dump(), encoding="utf-8")
        self.stdout.write(f"Wrote {fresh_database.SNAPSHOT}")
