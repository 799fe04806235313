"""`reti opendata_dump [code ...]`: write the full dumps of the datasets (reti/opendata/dumps.py).

`reti worker` runs the same each night; this command is for the first deployment, a rebuild
by hand, or a cron job on a site that runs no worker.
"""

from django.core.management.base import BaseCommand, CommandError

from reti.opendata import dumps
from reti.opendata.registry import by_code


class Command(BaseCommand):
    help = "Write every dataset's full dump (CSV, XLSX, JSON, datapackage.json, SHA256SUMS)"

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="only these datasets (default: all)")

    def handle(self, *args, codes, **options):
        unknown = [code for code in codes if by_code(code) is None]
        if unknown:
            raise CommandError(f"Unknown datasets: {', '.join(unknown)}")
        written = dumps.write_all(codes=codes)
        for item in written:
            size = sum(f["bytes"] for f in item.files.values())
            self.stdout.write(f"{item.code}: {len(item.files)} files, {size} bytes")
        expected = len(codes) if codes else len(dumps.datasets())
        if len(written) < expected:
            raise CommandError("Some dumps failed: see the log.")
        self.stdout.write(f"Written to {dumps.root()}")
