"""`reti demo --scale small|national`: replace the synthetic demo data."""

import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from reti.lib import cache, extensions
from reti.registry import search
from reti.registry.demo import SCALES, generate, indexing

DISCARD_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Genera dati sintetici di dimostrazione (organizzazioni, reti, progetti), sostituendo "
        "quelli di una generazione precedente; i dati reali non vengono toccati."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="Seme del generatore casuale.")

    def handle(self, *args, scale, seed, verbosity, **options):
        self.verbosity = verbosity
        # The registry's generator first lets the apps purge their synthetic records (they
        # point at its rows), then the apps' generators draw on its records; see `demo` in
        # reti.lib.extensions. The search index is rebuilt once, at the end: a generator that
        # indexes its records when run alone does not here.
        # The demo goes through the apps' actions, which e-mail the people concerned: its
        # people are synthetic (example.org), so those messages go nowhere. They filled a
        # first `make run`'s terminal with some sixty messages around its progress, and a
        # server with an SMTP relay would have sent them.
        with override_settings(EMAIL_BACKEND=DISCARD_MAIL), indexing.rebuilt_afterwards():
            counts = generate(SCALES[scale], seed=seed, report=self._report)
            for demo in extensions.demos():
                module = import_module(demo.module)
                counts.update(module.generate(scale, seed=seed, report=self._report))
        # Bulk rows bypass the signals that index records one by one, and the purge deleted
        # the previous run's records in bulk: the index is rebuilt from the tables, so the
        # demo's records are found and the deleted ones no longer are.
        started = time.monotonic()
        self._report("Indice di ricerca…")
        counts["documenti dell'indice di ricerca"] = search.rebuild_index()
        search.refresh_statistics()
        # What every app cached describes the deleted records, and the bulk rows passed no
        # signal: every cache scope anew.
        cache.bump_everything()
        self._report(f"  indice ricostruito in {time.monotonic() - started:.1f} s")
        for what, count in counts.items():
            self.stdout.write(f"{what}: {count:,}")

    def _report(self, line: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(line)
            self.stdout.flush()
