"""`reti restore FILE`: a `reti backup` archive back into this instance's database and files.

See reti/lib/backup.py and docs/operations.md. Stop the web server and the worker first.
`-` reads standard input: `gpg --decrypt reti.tar.gz.gpg | reti restore -`.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from reti.lib import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `reti backup` ('-' reads standard input) into an empty "
        "database, or over the present one with --replace; checks every file and row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The archive, or '-'.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the tables the database already holds.",
        )
        parser.add_argument("--work-dir", help="Where the archive is unpacked (default: TMPDIR).")

    def handle(self, *args, source, replace, work_dir, **options):
        try:
            if source == "-":
                manifest = backup.restore(sys.stdin.buffer, replace=replace, work_dir=work_dir)
            else:
                try:
                    handle = open(source, "rb")  # noqa: SIM115 (closed below)
                except OSError as exc:
                    raise CommandError(f"Cannot read {source}: {exc.strerror}") from exc
                with handle:
                    manifest = backup.restore(handle, replace=replace, work_dir=work_dir)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created']}: {len(manifest['counts'])} tables, "
            f"{rows} rows (counts checked), {len(manifest['files'])} files (checksums checked)."
        )
        pending = backup.pending_migrations()
        if pending:
            self.stdout.write(
                f"The code has {pending} migrations the backup has not: run `reti migrate`."
            )
