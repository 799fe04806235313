"""`reti backup FILE`: one consistent archive of the database, uploads and analytics snapshot.

See reti/lib/backup.py and docs/operations.md. `-` writes to standard output, for a pipe into
the operator's encryption: `reti backup - | gpg --encrypt --recipient ops@example.org > …`.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from reti.lib import backup


class Command(BaseCommand):
    help = (
        "Back up the running site (database, uploaded files, monitoring snapshot) into one "
        "gzipped tar archive; '-' writes it to standard output. The pseudonym key is not in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The archive to write (mode 0600), or '-'.")
        parser.add_argument(
            "--work-dir", help="Where the database copy is made first (default: TMPDIR)."
        )

    def handle(self, *args, output, work_dir, **options):
        try:
            if output == "-":
                manifest = backup.create(sys.stdout.buffer, work_dir=work_dir)
                sys.stdout.buffer.flush()
            else:
                if os.path.exists(output):
                    raise CommandError(f"{output} exists: choose a new name.")
                partial = f"{output}.partial"
                try:
                    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except OSError as exc:
                    raise CommandError(f"Cannot write {partial}: {exc.strerror}") from exc
                try:
                    with os.fdopen(fd, "wb") as handle:
                        manifest = backup.create(handle, work_dir=work_dir)
                        handle.flush()
                        os.fsync(handle.fileno())
                    os.replace(partial, output)
                except BaseException:
                    os.unlink(partial)
                    raise
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        # The summary goes to stderr: stdout may be the archive itself.
        self.stderr.write(
            f"Backed up {manifest['vendor']}: {len(manifest['counts'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files"
            + ("" if output == "-" else f", into {output}")
            + f" (pseudonym key fingerprint {manifest['key_fingerprint']})."
        )
