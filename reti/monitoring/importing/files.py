"""The files an import keeps while it runs, the lock that says who runs it, and their deletion.

Per batch, in MEDIA_ROOT/monitoring/imports/:
- `<random>.upload`: the file as uploaded (clear codici fiscali; mode 0600);
- `<id>.progress` (and `<id>.tmp` while it is rewritten): the fraction and the rows read;
- `<id>.lock`: locked (flock) by the process that runs the import, for as long as it runs.
  The kernel releases the lock however that process ends, SIGKILL and the OOM killer
  included, so a running batch whose lock is free has no live owner (recovery.py); no
  timeout to tune, no clock to trust.
The import deletes all of them when it ends, whatever the outcome; recovery.py deletes those
of a process that died.
"""

import fcntl
import os
from pathlib import Path

from django.conf import settings

# Batches whose import runs in this process: the reaper, running in the same process as a
# thread, leaves them alone (on NFS, flock is emulated by per-process fcntl locks).
RUNNING_HERE: set[int] = set()


def imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "monitoring" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(batch_id: int) -> Path:
    return imports_dir() / f"{batch_id}.progress"


def delete_files(batch_id: int, stored_file: str = "") -> None:
    """Delete the batch's uploaded file and its progress files (not its lock)."""
    if stored_file:
        Path(stored_file).unlink(missing_ok=True)
    path = progress_path(batch_id)
    path.unlink(missing_ok=True)
    path.with_suffix(".tmp").unlink(missing_ok=True)


class OwnerLock:
    """The lock of one batch: held by the process that runs (or reaps) it."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.path = imports_dir() / f"{batch_id}.lock"
        self.fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False if a live process holds it."""
        for _attempt in range(3):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                RUNNING_HERE.add(self.batch_id)
                return True
            # The previous holder deleted the file between our open and our lock: again.
            os.close(fd)
        return False

    def release(self) -> None:
        """Delete the lock file (while still holding it) and let go."""
        if self.fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = None
        RUNNING_HERE.discard(self.batch_id)
