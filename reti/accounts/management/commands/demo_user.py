"""`reti demo-user`: the synthetic staff account `make run` prints, for local runs only."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "demo"


def _password() -> str:
    """RETI_DEMO_PASSWORD, else one generated once and kept in var/demo_password."""
    given = os.environ.get("RETI_DEMO_PASSWORD", "").strip()
    if given:
        return given
    stored = settings.VAR_DIR / "demo_password"
    if not stored.exists():
        stored.write_text(secrets.token_urlsafe(12))
        stored.chmod(0o600)
    return stored.read_text().strip()


class Command(BaseCommand):
    help = "Create or refresh the synthetic demo staff user and print its login (local runs)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/it/admin/")

    def handle(self, *args, url, **options):
        if not settings.LOCAL:
            raise CommandError(
                "The demo user is for local runs (DEBUG=1 or RETI_LOCAL=1): "
                "it has a printed password."
            )
        password = _password()
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME,
            defaults={"first_name": "Demo", "last_name": "(sintetico)"},
        )
        user.email = "demo@example.org"
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        state = "created" if created else "updated"
        self.stdout.write(f"Demo login ({state}, synthetic account): {url}")
        self.stdout.write(f"  username: {USERNAME}")
        self.stdout.write(f"  password: {password}")
