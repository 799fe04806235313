"""The `reti` console script: manage.py with Reti's own verbs.

    reti serve [addr:port]      development server (gunicorn in production: see docs)
    reti migrate                apply database migrations
    reti prepare-local          what `make run` does first: migrate, load, demo, demo user
    reti load-presentation      load the presentation's facts (idempotent)
    reti load-indicators        load the ESF/ESF+ common indicators (idempotent)
    reti demo --scale small     generate synthetic demo data
    reti worker                 run background tasks
    reti api-token USER NAME    issue an API token for writes (the key is printed once)
    reti send-reminders         e-mail follow-up reminders (daily, from cron or a timer)
    reti backup FILE|-          one archive of database, uploads and snapshot (docs/operations.md)
    reti restore FILE|-         that archive back into an empty database (or --replace)
Anything else is passed to Django's manage.py.
"""

import os
import sys

ALIASES = {
    "serve": "runserver",
    "load-presentation": "load_presentation",
    "load-territories": "load_territories",
    "load-indicators": "load_indicators",
    "demo-user": "demo_user",
    "prepare-local": "prepare_local",
    "api-token": "api_token",
    "rebuild-search-index": "rebuild_search_index",
    "send-reminders": "send_reminders",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
