"""`reti grants replay FILE`: rank and fund a whole call from one YAML or JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reti.grants import replay


class Command(BaseCommand):
    help = (
        "replay FILE: load a call (lines, quotas, budget, policies), its applications (scores "
        "or evaluators' answers on a catalogue grid) and optional events from one YAML or "
        "JSON file, and write the ranking and the funding decision as JSON to stdout. "
        "docs/grants.md describes the format. Any problem: exit status 1, nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["replay"])
        parser.add_argument("file", help="the call as YAML (.yaml, .yml) or JSON (.json)")

    def handle(self, *args, verb, file, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot be read: {error}") from None
        try:
            result, steps = replay.run(text, path.name)
        except replay.ReplayError as error:
            raise CommandError(f"{file}: " + "; ".join(error.problems)) from None
        self.stdout.write(replay.as_json(result, steps), ending="")
