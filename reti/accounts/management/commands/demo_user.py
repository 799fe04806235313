"""`reti demo-user`: the synthetic staff account `make run` prints, for local runs only, and the
demo's role accounts the apps name (`Demo.logins`, reti/lib/extensions.py): an applicant, an
officer, an evaluator, a chair. All take the same printed password. Those who must give a
second factor (reti.accounts.twofactor) get an authenticator key and fresh one-time codes,
printed too, so that the demo is tried as production behaves, second factor included."""

import base64
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from reti.lib import extensions

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
        self._second_factor(user)
        for username, role in _role_logins():
            account = get_user_model().objects.filter(username=username).first()
            if account is None:
                continue
            account.is_active = True
            account.set_password(password)
            account.save()
            self.stdout.write(f"  {username} ({role}), same password")
            self._second_factor(account)

    def _second_factor(self, user) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from reti.accounts import twofactor

        if not twofactor.requires_second_factor(user):
            return
        device = twofactor.totp_device(user)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Reti (demo)", confirmed=True)
        codes = twofactor.new_recovery_codes(user)
        key = base64.b32encode(bytes.fromhex(device.key)).decode()
        self.stdout.write(f"    second factor: authenticator key {key}")
        self.stdout.write(f"    or one-time codes: {', '.join(codes[:3])}")


def _role_logins() -> list[tuple[str, str]]:
    found = []
    for demo in extensions.demos():
        if demo.logins:
            found += list(import_string(demo.logins))
    return found
