"""`reti prepare-local`: what `make run` does before serving, in one process, step by step.

Each step was its own `reti` command; each paid Django's start and system checks again
(about 1.5 s on a quiet laptop, several seconds on a busy one). One process pays them once.
The demo data are generated when the database has none (a first run, or after `make reset`),
so a second `make run` keeps what was changed in them; `--fresh-demo` replaces them.
"""

import time
from contextlib import contextmanager, nullcontext

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models.signals import class_prepared
from simple_history.models import HistoricalRecords

from reti.portal import fresh_database
from reti.registry.models import Network

STEPS = (
    ("migrate", "database tables", {"interactive": False}),
    ("load_territories", "territories (ISTAT regions, provinces, municipalities)", {}),
    ("load_presentation", "the presentation's facts", {}),
    ("load_indicators", "the ESF/ESF+ common indicators", {}),
    ("demo", "small synthetic demo data", {"scale": "small"}),
)


@contextmanager
def quicker_migrations():
    """Two costs Django pays again for each of the ~35,000 model classes a first migrate
    builds (its state re-rendered after each operation), and that cannot change while it runs:

    - Every foreign key asks the app registry whether its target is swappable (auth.User), a
      search over every model. The answer is memoised, but the memo is shared with the
      migration state's registries, whose every new class clears it. Here the real registry
      answers from a memo of its own.
    - Each new class is announced to some eighty django-simple-history receivers, one per
      tracked model, that act only when their own model is created, which happened at start.
      They are set aside and put back afterwards.

    Measured on a first `make run`: about a fifth of the migrations' CPU (docs/benchmarks.md).
    """
    lookup = apps.get_swappable_settings_name
    known: dict[str, str | None] = {}

    def swappable(to_string: str) -> str | None:
        if to_string not in known:
            known[to_string] = lookup(to_string)
        return known[to_string]

    # What the real registry's own clear_cache() (not a migration state's) calls.
    swappable.cache_clear = known.clear
    idle = [
        receiver
        for _key, receiver, _is_async in class_prepared.receivers
        if isinstance(getattr(receiver, "__self__", None), HistoricalRecords)
    ]
    apps.get_swappable_settings_name = swappable
    for receiver in idle:
        class_prepared.disconnect(receiver)
    try:
        yield
    finally:
        del apps.get_swappable_settings_name
        for receiver in idle:
            class_prepared.connect(receiver, weak=False)


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
            step, cpu = time.monotonic(), time.process_time()
            # Each step prints its result (the demo its progress); migrate would list every
            # migration of a first run.
            level = 0 if command == "migrate" else verbosity
            if command == "migrate" and fresh_database.applies():
                # A first run starts from the migrated schema's snapshot; migrate then applies
                # only what the snapshot lacks (reti/portal/fresh_database.py).
                fresh_database.load()
                self.stdout.write(f"{prefix}: started from {fresh_database.SNAPSHOT.name}")
            with quicker_migrations() if command == "migrate" else nullcontext():
                call_command(command, verbosity=level, stdout=self.stdout, **arguments)
            # CPU seconds too: the figure that does not depend on what else the machine runs.
            self.stdout.write(
                f"{prefix}: done in {time.monotonic() - step:.1f} s"
                f" (CPU {time.process_time() - cpu:.1f} s)"
            )
        self.stdout.write(f"[{total}/{total}] the demo user")
        call_command("demo_user", url=url, stdout=self.stdout)
        self.stdout.write(
            f"Ready in {time.monotonic() - started:.1f} s (CPU {time.process_time():.1f} s,"
            " with the start)"
        )
