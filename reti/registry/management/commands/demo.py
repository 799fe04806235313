"""`reti demo --scale small|national`: replace the synthetic demo data."""

from django.core.management.base import BaseCommand

from reti.registry.demo import SCALES, generate


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
        counts = generate(SCALES[scale], seed=seed, report=self._report)
        for what, count in counts.items():
            self.stdout.write(f"{what}: {count:,}")

    def _report(self, line: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(line)
            self.stdout.flush()
