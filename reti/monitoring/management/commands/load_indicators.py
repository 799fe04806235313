"""`reti load-indicators`: the ESF and ESF+ common indicators of data/indicators.yaml."""

from django.core.management.base import BaseCommand, CommandError

from reti.monitoring.indicators import DEFAULT_PATH, load_indicators


class Command(BaseCommand):
    help = (
        "Carica o aggiorna gli indicatori comuni FSE (2014-2020) e FSE+ (2021-2027) "
        "da data/indicators.yaml; una seconda esecuzione non cambia nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_PATH), help="YAML file to read")

    def handle(self, *args, file, **options):
        try:
            report = load_indicators(file)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"nothing was loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Indicators: {report}"))
