"""`reti prepare-local`: what `make run` does before serving, in one process, step by step.

Each step was its own `reti` command; each paid Django's start and system checks again
(about 1.5 s on a quiet laptop, several seconds on a busy one). One process pays them once.
The demo data are generated when the database has none (a first run, or after `make reset`),
so a second `make run` keeps what was changed in them; `--fresh-demo` replaces them.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from reti.registry.models import Network

STEPS = (
    ("migrate", "database tables", {"interactive": False}),
    ("load_territories", "territories (ISTAT regions, provinces, municipalities)", {}),
    ("load_presentation", "the presentation's facts", {}),
    ("load_indicators", "the ESF/ESF+ common indicators", {}),
    ("demo", "small synthetic demo data", {"scale": "small"}),
)


class Command(BaseCommand):
    help = (
        "Prepare a local site: migrations, territories, the presentation's facts, the common "
        "indicators, the small demo (when absent) and the demo user, each step timed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh-demo", action="store_true", help="Replace the demo data even if present."
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000/it/admin/")

    def handle(self, *args, fresh_demo, url, verbosity, **options):
        if not settings.LOCAL:
            raise CommandError("prepare-local is for local runs (DEBUG=1 or RETI_LOCAL=1).")
        database = settings.DATABASES["default"]
        self.stdout.write(f"Data in {settings.VAR_DIR} (database: {database['NAME']})")
        started = time.monotonic()
        total = len(STEPS) + 1
        for number, (command, what, arguments) in enumerate(STEPS, start=1):
            prefix = f"[{number}/{total}] {what}"
            if (
                command == "demo"
                and not fresh_demo
                and Network.objects.filter(synthetic=True).exists()
            ):
                self.stdout.write(f"{prefix}: already there (make reset starts afresh)")
                continue
            self.stdout.write(f"{prefix}…")
            self.stdout.flush()
            step = time.monotonic()
            # Each step prints its result (the demo its progress); migrate would list every
            # migration of a first run.
            level = 0 if command == "migrate" else verbosity
            call_command(command, verbosity=level, stdout=self.stdout, **arguments)
            self.stdout.write(f"{prefix}: done in {time.monotonic() - step:.1f} s")
        self.stdout.write(f"[{total}/{total}] the demo user")
        call_command("demo_user", url=url, stdout=self.stdout)
        self.stdout.write(f"Ready in {time.monotonic() - started:.1f} s")
