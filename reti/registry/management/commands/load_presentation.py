"""`reti load-presentation`: the presentation's facts from data/presentation.yaml."""

from django.core.management.base import BaseCommand, CommandError

from reti.registry.presentation import DEFAULT_FILE, REASON, LoadError, load_presentation


class Command(BaseCommand):
    help = (
        "Load the facts of the 2011 presentation (or another file in the same format) "
        "atomically and idempotently; territories are loaded first if missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FILE), help="YAML file to load")
        parser.add_argument("--reason", default=REASON, help="change reason in the audit trail")

    def handle(self, *args, file, reason, verbosity, **options):
        try:
            report = load_presentation(file, reason=reason)
        except LoadError as exc:
            raise CommandError(f"nothing was loaded:\n{exc}") from exc
        if verbosity > 1:
            self.stdout.write(str(report))
        written = report.written
        summary = f"{written} records written" if written else "already up to date"
        self.stdout.write(self.style.SUCCESS(f"Presentation loaded from {file}: {summary}."))
