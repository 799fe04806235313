"""`reti api-token <username> <name>`: issue an API token and print its key once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reti.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is printed once and never stored in clear."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'import from SIFSE'.")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active.")
        token, key = ApiToken.objects.issue(user, name)
        self.stderr.write(f"Token {token.prefix}… issued to {username}; store the key now:")
        self.stdout.write(key)
