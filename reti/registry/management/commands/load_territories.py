"""`reti load-territories`: Italy's territories from ISTAT and the world's countries."""

import time

from django.core.management.base import BaseCommand

from reti.registry.territories import load_territories


class Command(BaseCommand):
    help = "Load or update territories (ISTAT regions, provinces, municipalities; countries)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = load_territories()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Territories: {report} ({elapsed:.1f} s)"))
