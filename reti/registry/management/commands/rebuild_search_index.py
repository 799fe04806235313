"""reti rebuild-search-index: rebuild the full-text search index from the registry's tables."""

import time

from django.core.management.base import BaseCommand

from reti.registry.search import rebuild_index


class Command(BaseCommand):
    help = "Ricostruisce l'indice di ricerca (reti, progetti, organizzazioni, gruppi, territori)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=50_000)

    def handle(self, *args, batch_size, verbosity, **options):
        started = time.monotonic()

        def progress(kind, total):
            if verbosity > 1:
                self.stdout.write(f"{kind}: {total} documents")

        total = rebuild_index(batch_size=batch_size, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(f"Search index rebuilt: {total} documents in {elapsed:.1f} s.")
